#!/usr/bin/env bash
# bench/perf_stacks.py on a small `perf script -F comm,ip,sym` text written here (no perf needed):
# samples go to the first label whose regex matches a frame, template and argument lists do not
# match, `all` takes every thread, `under` groups by the callee of the outermost call, and a
# thread with no samples or a rule without '=' is an error. Keeps the profiling tool that
# bench/RESULTS.md cites from rotting.
source "$(dirname "$0")/lib.sh"

TOOL="$ROOTGOV_SOURCE_DIR/bench/perf_stacks.py"
S="$WORK/perf.script"
# Five samples of rg-io, one of rg-authority; frames are leaf first, as perf prints them.
cat >"$S" <<'PERF'
rg-io 
	    1000 Botan::FE_25519::mul
	    1001 Botan::ed25519_verify
	    1002 rootgov::authority::crypto::ed25519_verify(std::basic_string_view<char>)
	    1003 rootgov::authority::Authority::preverify

rg-io 
	    1000 Botan::FE_25519::sqr_iter
	    1001 Botan::ed25519_verify
	    1002 rootgov::authority::crypto::ed25519_verify(std::basic_string_view<char>)

rg-io 
	    2000 __memmove_avx512_unaligned_erms
	    2001 rootgov::daemon::HttpServer::Impl::write_response (inlined)
	    2002 rootgov::daemon::HttpServer::Impl::session

rg-io 
	    3000 __memcmp_evex_movbe
	    3001 rootgov::authority::Authority::Impl::mutate<rootgov::authority::SignedDocument const&>(std::string_view)

rg-io 
	    3000 __memcmp_evex_movbe
	    3001 rootgov::zone::(anonymous namespace)::check_rules
	    3002 rootgov::zone::RootZone::stage(rootgov::zone::ChangeSet const&) const
	    3003 rootgov::zone::RootZone::check
	    3004 rootgov::zone::RootZone::stage(rootgov::zone::ChangeSet const&) const
	    3005 rootgov::authority::Authority::Impl::validate

rg-authority 
	    4000 ecdsa_sign
	    4001 rootgov::zone::detail::SignContext::sign
PERF

OUT=$(python3 "$TOOL" classify "$S" rg-io ed25519=ed25519_verify write=write_response doc=SignedDocument)
grep -q '^rg-io: 5 samples$' <<<"$OUT" || fail "sample count: $OUT"
grep -q '40.0% ed25519$' <<<"$OUT" || fail "two of five samples verify: $OUT"
grep -q '20.0% write$' <<<"$OUT" || fail "one of five writes (inlined frame): $OUT"
grep -q ' doc$' <<<"$OUT" && fail "a type in a template argument matched: $OUT"
grep -q '40.0% none of these' <<<"$OUT" || fail "the rest by leaf: $OUT"
grep -q '40.0% __memcmp_evex_movbe' <<<"$OUT" || fail "leaf functions of the rest: $OUT"
pass "classify: first matching label, template arguments ignored, the rest by leaf"

OUT=$(python3 "$TOOL" classify "$S" all ecdsa=ecdsa_sign)
grep -q '^all: 6 samples$' <<<"$OUT" && grep -q '16.7% ecdsa$' <<<"$OUT" || fail "all threads: $OUT"
pass "classify all: every thread"

OUT=$(python3 "$TOOL" under "$S" rg-io RootZone::stage 1)
grep -q '^rg-io: 1 of 5 samples (20.0%) under RootZone::stage$' <<<"$OUT" || fail "under: $OUT"
grep -q '20.0% rootgov::zone::RootZone::check$' <<<"$OUT" || fail "callee of the outermost call: $OUT"
OUT=$(python3 "$TOOL" under "$S" rg-io RootZone::stage 2)
grep -q 'RootZone::check > rootgov::zone::RootZone::stage const$' <<<"$OUT" || fail "two levels: $OUT"
pass "under: grouped by what the outermost call called"

if OUT=$(python3 "$TOOL" classify "$S" rg-nothing x=y 2>&1); then fail "a thread without samples passed"; fi
grep -q "no samples of a thread named 'rg-nothing'" <<<"$OUT" || fail "message: $OUT"
if OUT=$(python3 "$TOOL" classify "$S" rg-io noequals 2>&1); then fail "a rule without = passed"; fi
grep -q "'noequals' is not LABEL=REGEX" <<<"$OUT" || fail "message: $OUT"
pass "errors: a thread without samples, a rule without '='"
