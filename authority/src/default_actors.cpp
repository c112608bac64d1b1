// default_actors.cpp - the default actor set: the world of root-zone oversight from 2005 on.
#include <rootgov/authority/actors.hpp>

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace rootgov::authority {

namespace {

// The roster as data. Sources: /work/shared/reference/DOMAIN.md section 1 (WGIG models 1-4:
// GIC, GAC, IIC, GIPC, WICANN and its Oversight Committee, GIGF/IGF forum participants),
// section 2.1 (NTIA, IANA, ICANN Board, Verisign as Root Zone Maintainer), section 2.3 (root KSK
// crypto officers), section 3 (PTI, CSC membership, RZERC's nine members, the Empowered
// Community's decisional participants). Regions are ICANN's five geographic regions. Actors get
// no public key here: `rootgov lab init` generates one per actor.
constexpr std::string_view kDefaultRoster = R"toml(
# Oversight and operations before 2016 (DOMAIN.md 2.1)
[[actor]]
id = "ntia"
name = "NTIA (US Department of Commerce), Root Zone Administrator"
roles = ["ntia"]
bodies = []
region = "north-america"
country = "us"

[[actor]]
id = "iana"
name = "IANA functions operator (ICANN staff)"
roles = ["iana"]
bodies = []
region = "north-america"
country = "us"

[[actor]]
id = "icann-board"
name = "ICANN Board of Directors (acting for the Board)"
roles = ["icann-board"]
bodies = ["icann-board"]
region = "north-america"
country = "us"

[[actor]]
id = "verisign"
name = "Verisign, Root Zone Maintainer (ZSK, implementation, distribution)"
roles = ["rzm"]
bodies = []
region = "north-america"
country = "us"

[[actor]]
id = "instructor"
name = "Lab instructor (clock and registry administration)"
roles = ["instructor"]
bodies = []
region = ""
country = ""

# After the 2016 transition (DOMAIN.md 3): PTI operates the IANA functions
[[actor]]
id = "pti"
name = "Public Technical Identifiers (PTI), IANA functions operator"
roles = ["pti"]
bodies = ["pti"]
region = "north-america"
country = "us"

# Governments (DOMAIN.md 1.3-1.6): GAC members; seats of the GIC (model 1), IIC (model 3) and GIPC (model 4)
[[actor]]
id = "gov.za"
name = "Government of South Africa"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "za"

[[actor]]
id = "gov.ng"
name = "Government of Nigeria"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "ng"

[[actor]]
id = "gov.ke"
name = "Government of Kenya"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "ke"

[[actor]]
id = "gov.eg"
name = "Government of Egypt"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "eg"

[[actor]]
id = "gov.sn"
name = "Government of Senegal"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "sn"

[[actor]]
id = "gov.tn"
name = "Government of Tunisia"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "africa"
country = "tn"

[[actor]]
id = "gov.cn"
name = "Government of China"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "cn"

[[actor]]
id = "gov.in"
name = "Government of India"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "in"

[[actor]]
id = "gov.jp"
name = "Government of Japan"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "jp"

[[actor]]
id = "gov.kr"
name = "Government of Republic of Korea"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "kr"

[[actor]]
id = "gov.au"
name = "Government of Australia"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "au"

[[actor]]
id = "gov.ir"
name = "Government of Iran"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "ir"

[[actor]]
id = "gov.sa"
name = "Government of Saudi Arabia"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "sa"

[[actor]]
id = "gov.id"
name = "Government of Indonesia"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "asia-pacific"
country = "id"

[[actor]]
id = "gov.de"
name = "Government of Germany"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "de"

[[actor]]
id = "gov.fr"
name = "Government of France"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "fr"

[[actor]]
id = "gov.gb"
name = "Government of United Kingdom"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "gb"

[[actor]]
id = "gov.ru"
name = "Government of Russian Federation"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "ru"

[[actor]]
id = "gov.ch"
name = "Government of Switzerland"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "ch"

[[actor]]
id = "gov.se"
name = "Government of Sweden"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "europe"
country = "se"

[[actor]]
id = "gov.br"
name = "Government of Brazil"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "latin-america"
country = "br"

[[actor]]
id = "gov.ar"
name = "Government of Argentina"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "latin-america"
country = "ar"

[[actor]]
id = "gov.mx"
name = "Government of Mexico"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "latin-america"
country = "mx"

[[actor]]
id = "gov.cl"
name = "Government of Chile"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "latin-america"
country = "cl"

[[actor]]
id = "gov.cu"
name = "Government of Cuba"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "latin-america"
country = "cu"

[[actor]]
id = "gov.us"
name = "Government of United States"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "north-america"
country = "us"

[[actor]]
id = "gov.ca"
name = "Government of Canada"
roles = ["government"]
bodies = ["gac", "gic", "iic", "gipc"]
region = "north-america"
country = "ca"

# WICANN (model 4, DOMAIN.md 1.6): private-sector-led; Oversight Committee appointed by the GIPC
[[actor]]
id = "wicann"
name = "World ICANN (WICANN) staff and technical operations"
roles = ["wicann"]
bodies = ["wicann"]
region = ""
country = ""

[[actor]]
id = "wicann-oc.africa"
name = "WICANN Oversight Committee member for Africa (appointed by the GIPC)"
roles = ["oversight-member"]
bodies = ["wicann-oc"]
region = "africa"
country = ""

[[actor]]
id = "wicann-oc.asia-pacific"
name = "WICANN Oversight Committee member for Asia-Pacific (appointed by the GIPC)"
roles = ["oversight-member"]
bodies = ["wicann-oc"]
region = "asia-pacific"
country = ""

[[actor]]
id = "wicann-oc.europe"
name = "WICANN Oversight Committee member for Europe (appointed by the GIPC)"
roles = ["oversight-member"]
bodies = ["wicann-oc"]
region = "europe"
country = ""

[[actor]]
id = "wicann-oc.latin-america"
name = "WICANN Oversight Committee member for Latin America and Caribbean (appointed by the GIPC)"
roles = ["oversight-member"]
bodies = ["wicann-oc"]
region = "latin-america"
country = ""

[[actor]]
id = "wicann-oc.north-america"
name = "WICANN Oversight Committee member for North America (appointed by the GIPC)"
roles = ["oversight-member"]
bodies = ["wicann-oc"]
region = "north-america"
country = ""

# Private sector, civil society, technical community (DOMAIN.md 1.2-1.6): forum (GIGF/IGF) participants,
# advisory in models 1 and 3, observers in the GIPC, leading WICANN in model 4
[[actor]]
id = "ps.icc-basis"
name = "ICC BASIS (International Chamber of Commerce)"
roles = ["private-sector"]
bodies = ["gigf", "igf", "wicann"]
region = "europe"
country = "fr"

[[actor]]
id = "ps.registries"
name = "gTLD Registries Stakeholder Group"
roles = ["private-sector"]
bodies = ["gigf", "igf", "wicann"]
region = "north-america"
country = "us"

[[actor]]
id = "ps.registrars"
name = "Registrars Stakeholder Group"
roles = ["private-sector"]
bodies = ["gigf", "igf", "wicann"]
region = "europe"
country = "de"

[[actor]]
id = "ps.isps"
name = "ISPs and Connectivity Providers Constituency"
roles = ["private-sector"]
bodies = ["gigf", "igf", "wicann"]
region = "asia-pacific"
country = "jp"

[[actor]]
id = "cs.apc"
name = "Association for Progressive Communications (APC)"
roles = ["civil-society"]
bodies = ["gigf", "igf"]
region = "africa"
country = "za"

[[actor]]
id = "cs.igc"
name = "Internet Governance Caucus (WSIS civil society)"
roles = ["civil-society"]
bodies = ["gigf", "igf"]
region = "latin-america"
country = "br"

[[actor]]
id = "cs.consumers"
name = "Consumers International"
roles = ["civil-society"]
bodies = ["gigf", "igf"]
region = "europe"
country = "gb"

[[actor]]
id = "cs.users"
name = "At-Large user community"
roles = ["civil-society"]
bodies = ["gigf", "igf"]
region = "asia-pacific"
country = "in"

[[actor]]
id = "tc.ietf"
name = "Internet Engineering Task Force (IETF)"
roles = ["technical-community"]
bodies = ["gigf", "igf"]
region = ""
country = ""

[[actor]]
id = "tc.isoc"
name = "Internet Society (ISOC)"
roles = ["technical-community"]
bodies = ["gigf", "igf"]
region = "north-america"
country = "us"

[[actor]]
id = "tc.nro"
name = "Number Resource Organization (the five RIRs)"
roles = ["technical-community"]
bodies = ["gigf", "igf"]
region = ""
country = ""

[[actor]]
id = "tc.rssac"
name = "Root Server System Advisory Committee (RSSAC)"
roles = ["technical-community"]
bodies = ["gigf", "igf"]
region = ""
country = ""

[[actor]]
id = "tc.ssac"
name = "Security and Stability Advisory Committee (SSAC)"
roles = ["technical-community"]
bodies = ["gigf", "igf"]
region = ""
country = ""

# Customer Standing Committee (DOMAIN.md 3): 2 gTLD (RySG), 2 ccTLD (ccNSO), 1 optional non-cc/g member
[[actor]]
id = "csc.gtld-1"
name = "CSC member, gTLD registry (appointed by the RySG)"
roles = ["csc-member"]
bodies = ["csc"]
region = "north-america"
country = ""

[[actor]]
id = "csc.gtld-2"
name = "CSC member, gTLD registry (appointed by the RySG)"
roles = ["csc-member"]
bodies = ["csc"]
region = "europe"
country = ""

[[actor]]
id = "csc.cctld-1"
name = "CSC member, ccTLD manager (appointed by the ccNSO)"
roles = ["csc-member"]
bodies = ["csc"]
region = "africa"
country = ""

[[actor]]
id = "csc.cctld-2"
name = "CSC member, ccTLD manager (appointed by the ccNSO)"
roles = ["csc-member"]
bodies = ["csc"]
region = "asia-pacific"
country = ""

[[actor]]
id = "csc.other"
name = "CSC member, non-cc/g TLD operator (optional seat)"
roles = ["csc-member"]
bodies = ["csc"]
region = "latin-america"
country = ""

# Root Zone Evolution Review Committee, 9 members (DOMAIN.md 3)
[[actor]]
id = "rzerc.icann-board"
name = "RZERC member: ICANN Board member"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.pti"
name = "RZERC member: senior PTI / IFO representative"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.ssac"
name = "RZERC member: SSAC chair or delegate"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.rssac"
name = "RZERC member: RSSAC chair or delegate"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.aso"
name = "RZERC member: ASO chair or delegate"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.ietf"
name = "RZERC member: IETF chair or delegate"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.rysg"
name = "RZERC member: Registries Stakeholder Group representative"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.ccnso"
name = "RZERC member: ccNSO representative"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

[[actor]]
id = "rzerc.rzm"
name = "RZERC member: Root Zone Maintainer representative"
roles = ["rzerc-member"]
bodies = ["rzerc"]
region = ""
country = ""

# ICANN Empowered Community decisional participants (DOMAIN.md 3)
[[actor]]
id = "ec.aso"
name = "Empowered Community: Address Supporting Organization (ASO)"
roles = ["ec-participant"]
bodies = ["ec"]
region = ""
country = ""

[[actor]]
id = "ec.ccnso"
name = "Empowered Community: Country Code Names Supporting Organization (ccNSO)"
roles = ["ec-participant"]
bodies = ["ec"]
region = ""
country = ""

[[actor]]
id = "ec.gnso"
name = "Empowered Community: Generic Names Supporting Organization (GNSO)"
roles = ["ec-participant"]
bodies = ["ec"]
region = ""
country = ""

[[actor]]
id = "ec.alac"
name = "Empowered Community: At-Large Advisory Committee (ALAC)"
roles = ["ec-participant"]
bodies = ["ec"]
region = ""
country = ""

[[actor]]
id = "ec.gac"
name = "Empowered Community: Governmental Advisory Committee (GAC)"
roles = ["ec-participant"]
bodies = ["ec"]
region = ""
country = ""

# Root KSK Trusted Community Representatives: seven crypto officers per facility, 3 of 7 cards
# needed for a ceremony (DOMAIN.md 2.3)
[[actor]]
id = "co1"
name = "Root KSK Crypto Officer 1"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "africa"
country = "ke"

[[actor]]
id = "co2"
name = "Root KSK Crypto Officer 2"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "asia-pacific"
country = "cn"

[[actor]]
id = "co3"
name = "Root KSK Crypto Officer 3"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "europe"
country = "cz"

[[actor]]
id = "co4"
name = "Root KSK Crypto Officer 4"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "latin-america"
country = "uy"

[[actor]]
id = "co5"
name = "Root KSK Crypto Officer 5"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "north-america"
country = "us"

[[actor]]
id = "co6"
name = "Root KSK Crypto Officer 6"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "europe"
country = "pt"

[[actor]]
id = "co7"
name = "Root KSK Crypto Officer 7"
roles = ["crypto-officer"]
bodies = ["ksk-ceremony"]
region = "asia-pacific"
country = "nz"
)toml";

}  // namespace

std::vector<Actor> default_actors(const std::vector<std::string>& tlds) {
  auto registry = ActorRegistry::from_toml(kDefaultRoster, "default roster");
  if (!registry) {
    // INVARIANT: the embedded roster is valid (a unit test loads it).
    throw std::logic_error("default roster: " + registry.error().message);
  }
  for (std::string tld : tlds) {
    std::transform(tld.begin(), tld.end(), tld.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    if (!tld.empty() && tld.back() == '.') tld.pop_back();
    Actor manager;
    manager.id = "manager." + tld;
    manager.name = fmt::format("Manager of .{} (administrative and technical contact)", tld);
    manager.roles = {"tld-manager"};
    manager.country = country_of_tld(tld);
    if (manager.country.size() != 2) manager.country.clear();
    manager.manages = {tld};
    if (auto ok = registry->add(std::move(manager)); !ok) {
      throw std::invalid_argument("default actors: " + ok.error().message);
    }
  }
  std::vector<Actor> out;
  out.reserve(registry->all().size());
  for (const auto& [id, actor] : registry->all()) out.push_back(actor);
  return out;
}

}  // namespace rootgov::authority
