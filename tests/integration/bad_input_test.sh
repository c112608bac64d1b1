#!/usr/bin/env bash
# tests/integration/bad_input_test.sh - bad input gets a clear error and changes nothing
# (DESIGN.md section 6). Over HTTP (curl): garbage JSON, a body that is not JSON-typed, an
# unsigned body, an oversized body, a tampered signature, a replayed document, an unknown change
# kind, a stranger's key, a missing request. With the CLI: an unknown kind, a stranger's key, a
# ballot from an actor not awaited, a DS update for a TLD that does not exist, a request id that
# does not exist, a TLD label that cannot be delegated, a transfer to an unregistered actor, a
# delegation of an existing TLD (exit 1), glue out of bailiwick, malformed flags. Each gets a 4xx with an application/problem+json body whose
# detail says what is wrong, or a CLI exit 2 with a message that says it. Afterwards the daemon
# still serves, nothing was published (same serial, same TLDs) and the log verifies.
source "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is needed"
python3 -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' 2>/dev/null ||
  fail "python3-cryptography is needed (scripts/install-deps.sh installs it)"

STATE="$WORK/state"
start_daemon bad --state "$STATE" --clock simulated
K="$STATE/lab/keys"
SERIAL0=$(summary_field serial)
TLDS0=$(summary_field tlds)

# sign KEYFILE TYPE BODYJSON SEQ : prints the wire form of a signed document (canonical JSON of
# {"type","actor","time","seq","body"}, Ed25519 over those bytes), as the CLI builds it.
cat >"$WORK/sign.py" <<'EOF'
import base64, json, re, sys, time
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
keyfile, doctype, body, seq = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
text = open(keyfile).read()
actor = re.search(r'^actor = "([^"]*)"', text, re.M).group(1)
seed = base64.b64decode(re.search(r'^seed = "([^"]*)"', text, re.M).group(1))
doc = {"type": doctype, "actor": actor, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seq": seq, "body": body}
canon = lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
sig = base64.b64encode(Ed25519PrivateKey.from_private_bytes(seed).sign(canon(doc).encode())).decode()
print(canon({"document": doc, "signature": sig}))
EOF
sign() { python3 "$WORK/sign.py" "$@"; }

# post PATH FILE [CONTENT-TYPE] : POSTs FILE; sets CODE, CTYPE and BODY.
post() {
  CODE=$(curl -sS --max-time 20 -o "$WORK/resp" -D "$WORK/hdr" -w '%{http_code}' \
    -H "Content-Type: ${3:-application/json}" --data-binary "@$2" "$ROOTGOV_SERVER$1") || fail "curl POST $1 failed"
  CTYPE=$(awk 'tolower($1)=="content-type:"{print $2}' "$WORK/hdr" | tr -d '\r')
  BODY=$(cat "$WORK/resp")
}
get() {
  CODE=$(curl -sS --max-time 20 -o "$WORK/resp" -D "$WORK/hdr" -w '%{http_code}' "$ROOTGOV_SERVER$1") || fail "curl GET $1 failed"
  CTYPE=$(awk 'tolower($1)=="content-type:"{print $2}' "$WORK/hdr" | tr -d '\r')
  BODY=$(cat "$WORK/resp")
}

# problem WHAT STATUS REGEX : the last answer is STATUS, a problem+json whose detail matches REGEX
# (case-insensitive extended regex).
problem() {
  [ "$CODE" = "$2" ] || fail "$1: HTTP $CODE, expected $2: $BODY"
  [ "$CTYPE" = application/problem+json ] || fail "$1: content type '$CTYPE', expected application/problem+json"
  local status detail
  status=$(jq -r .status <<<"$BODY") || fail "$1: the problem body is not JSON: $BODY"
  [ "$status" = "$2" ] || fail "$1: problem status $status, expected $2"
  detail=$(jq -r .detail <<<"$BODY")
  grep -Eqi -- "$3" <<<"$detail" || fail "$1: detail '$detail' does not match /$3/"
  pass "$1: $2 ($detail)"
}

# cli_error WHAT CODE REGEX CMD... : the CLI exits CODE with a message matching REGEX.
cli_error() {
  local what=$1 code=$2 re=$3; shift 3
  expect_exit "$code" "$@"
  grep -Eqi -- "$re" <<<"$OUT" || fail "$what: message '$OUT' does not match /$re/"
  pass "$what: exit $code ($(head -n 1 <<<"$OUT"))"
}

BR_DS='{"kind":"ds-update","tld":"br","ds":[{"key_tag":1,"algorithm":13,"digest_type":2,"digest":"'$(printf '%064d' 1)'"}]}'

# ---- HTTP ----
printf '{not json' >"$WORK/garbage"
post /v1/requests "$WORK/garbage"
problem "garbage JSON" 400 'json'

printf '[1,2,3]' >"$WORK/array"
post /v1/requests "$WORK/array"
problem "a JSON array body" 400 'object'

printf '{"kind":"ds-update"}' >"$WORK/form"
post /v1/requests "$WORK/form" application/x-www-form-urlencoded
problem "a non-JSON content type" 415 'application/json'

sign "$K/manager.br.key" submit "$BR_DS" 1 | jq -c '{document}' >"$WORK/unsigned"
post /v1/requests "$WORK/unsigned"
problem "an unsigned document" 400 'signature'

printf '{"kind":"ds-update","tld":"br"}' >"$WORK/bare"
post /v1/requests "$WORK/bare"
problem "a bare change request (no document, no signature)" 400 'document|signature|unknown member'

python3 -c 'import sys; sys.stdout.write("{\"pad\":\"" + "a" * (3 << 19) + "\"}")' >"$WORK/big"
post /v1/requests "$WORK/big"
problem "a 1.5 MiB body" 413 'too large|limit'

sign "$K/manager.br.key" submit "$BR_DS" 2 | jq -c '.document.body.tld = "de"' >"$WORK/tampered"
post /v1/requests "$WORK/tampered"
problem "a tampered document" 403 'signature'

sign "$K/manager.br.key" submit '{"kind":"frobnicate","tld":"br"}' 3 >"$WORK/kind"
post /v1/requests "$WORK/kind"
problem "an unknown change kind" 400 'frobnicate'

"$ROOTGOV" keygen --out "$WORK/stranger.key" --id stranger >/dev/null || fail "keygen failed"
sign "$WORK/stranger.key" submit "$BR_DS" 1 >"$WORK/stranger"
post /v1/requests "$WORK/stranger"
problem "a key not in the registry" 403 'stranger'

get "/v1/requests/ROOT-MGMT%2320990101999"
problem "a request id that does not exist" 404 'ROOT-MGMT#20990101999'

sign "$K/iana.key" ballot '{"request":"ROOT-MGMT#20990101999","vote":"approve"}' 10 >"$WORK/ghost-ballot"
post "/v1/requests/ROOT-MGMT%2320990101999/ballots" "$WORK/ghost-ballot"
problem "a ballot on a request that does not exist" 404 'no request'

# A valid document is accepted once; the same bytes again are a replay.
sign "$K/manager.br.key" submit "$BR_DS" 100 >"$WORK/once"
post /v1/requests "$WORK/once"
[ "$CODE" = 201 ] || fail "a valid signed submission got $CODE: $BODY"
ID=$(jq -r .id <<<"$BODY")
post /v1/requests "$WORK/once"
problem "a replayed document" 403 'replay'
[ "$(curl -fsS "$ROOTGOV_SERVER/v1/requests" | jq .count)" = 1 ] || fail "the replay created a request"

# ---- CLI ----
cli_error "CLI: unknown kind" 2 "--kind 'frobnicate'" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind frobnicate --tld br
cli_error "CLI: a key not in the registry" 2 "stranger" \
  "$ROOTGOV" submit --as "$WORK/stranger.key" --kind ds-update --tld br
cli_error "CLI: a ballot from an actor not awaited" 2 "not awaited" \
  "$ROOTGOV" approve "$ID" --as "$K/ntia.key"
cli_error "CLI: a ballot from a stranger" 2 "stranger" \
  "$ROOTGOV" approve "$ID" --as "$WORK/stranger.key"
cli_error "CLI: a withdrawal by someone else" 2 "only the requester" \
  "$ROOTGOV" withdraw "$ID" --as "$K/manager.de.key"
cli_error "CLI: a DS update for a TLD that does not exist" 2 "no TLD 'nosuchtld'" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld nosuchtld
cli_error "CLI: a delegation of a label that cannot be a TLD" 2 "'bad_label' cannot be delegated" \
  "$ROOTGOV" submit --as "$K/iana.key" --kind delegate --tld Bad_Label --ns a.dns.br --ns b.dns.br
cli_error "CLI: a transfer to an actor not in the registry" 2 "no actor 'nobody.here'" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind transfer --tld br --manager nobody.here
cli_error "CLI: a delegation of a TLD that exists" 1 "already exists" \
  "$ROOTGOV" submit --as "$K/iana.key" --kind delegate --tld br --ns a.dns.br --ns b.dns.br
cli_error "CLI: glue for a host under no TLD of the root" 2 "glue-out-of-bailiwick" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind ns-update --tld br --ns ns.example.invalid=45.1.1.1 --ns a.dns.br
cli_error "CLI: a clock advance by someone other than the instructor" 2 "instructor" \
  "$ROOTGOV" clock advance 1d --as "$K/manager.br.key"
cli_error "CLI: a request id that does not exist (status)" 2 "no request 'ROOT-MGMT#20990101999'" \
  "$ROOTGOV" status "ROOT-MGMT#20990101999"
cli_error "CLI: a request id that does not exist (approve)" 2 "no request 'ROOT-MGMT#20990101999'" \
  "$ROOTGOV" approve "ROOT-MGMT#20990101999" --as "$K/iana.key"
cli_error "CLI: a DS digest that is not hex" 2 "hexadecimal" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind ds-update --tld br --ds "1 13 2 XYZ"
cli_error "CLI: a glue address that is not an address" 2 "999\.1\.1\.1" \
  "$ROOTGOV" submit --as "$K/manager.br.key" --kind ns-update --tld br --ns a.dns.br=999.1.1.1 --ns b.dns.br
cli_error "CLI: a rejection without a comment" 2 "comment" \
  "$ROOTGOV" reject "$ID" --as "$K/manager.br.key" --comment ""
cli_error "CLI: a key file that does not exist" 2 "no-such.key" \
  "$ROOTGOV" submit --as "$WORK/no-such.key" --kind ds-update --tld br
cli_error "CLI: a daemon that is not there" 3 "cannot reach" \
  "$ROOTGOV" status --server "http://127.0.0.1:$(free_port)"

# The one valid request is still awaiting its first ballot; withdraw it.
[ "$(req_state "$ID")" = awaiting ] || fail "$ID is $(req_state "$ID") after the refused ballots"
[ "$("$ROOTGOV" status "$ID" --json | jq '.ballots | length')" = 0 ] || fail "a refused ballot was recorded on $ID"
"$ROOTGOV" withdraw "$ID" --as "$K/manager.br.key" >/dev/null || fail "withdraw by the requester failed"
[ "$(req_state "$ID")" = withdrawn ] || fail "$ID is $(req_state "$ID") after the withdrawal"

# ---- nothing changed ----
curl -fsS --max-time 5 "$ROOTGOV_SERVER/v1/health" | grep -q '"ok"' || fail "the daemon does not serve /v1/health"
[ "$(summary_field serial)" = "$SERIAL0" ] || fail "the serial changed from $SERIAL0 to $(summary_field serial)"
[ "$(summary_field tlds)" = "$TLDS0" ] || fail "the TLD count changed"
[ "$(summary_field requests)" = 1 ] || fail "$(summary_field requests) requests stored, expected the one valid"
pass "still serving; serial $SERIAL0 and $TLDS0 TLDs unchanged; only the valid request stored"
stop_daemon || fail "rootgovd did not exit 0 on SIGTERM"
expect_exit 0 "$ROOTGOV" log verify "$STATE"
pass "log verifies"
