# Sourced by the scripts that talk to a running app (./scripts/run): where it answers and its generated secrets.
# Each can be set in the environment instead (the tests point them at their own app):
#   GATEWAY_URL (http://localhost:8000), IDENTITY_URL (http://localhost:5101),
#   SENTIMENT_ADMIN_PASSWORD, SENTIMENT_SERVICE_SECRET, SENTIMENT_BULK_SECRET (else the AppHost's user secrets).
# Failures print one line and exit 1; usage errors exit 2.
PLATFORM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://localhost:8000}"
IDENTITY_URL="${IDENTITY_URL:-http://localhost:5101}"
PYTHON=/usr/bin/python3 # Debian's; parses the JSON answers

fail() { echo "$(basename "$0"): $*" >&2; exit 1; }
usage() { echo "$(basename "$0"): $*" >&2; exit 2; }

# The generated Aspire parameter $1 (the AppHost's user secrets), unless environment variable $2 holds it.
platform_secret() {
  local value="${!2:-}"
  if [ -z "$value" ]; then
    value=$(dotnet user-secrets list --project "$PLATFORM_ROOT/AppHost" 2>/dev/null | awk -F ' = ' -v key="Parameters:$1" '$1 == key { print $2 }')
  fi
  [ -n "$value" ] || fail "no $1 yet: start the app once with ./scripts/run (it generates the secrets)"
  printf '%s' "$value"
}

# http_request WHO ARGS...: curl ARGS, setting http_status and http_body; fails naming WHO when nothing answers.
http_request() {
  local who="$1" answer
  shift
  answer=$(curl -s -w '\n%{http_code}' "$@") || fail "$who does not answer (is ./scripts/run running?)"
  http_status=${answer##*$'\n'}
  http_body=${answer%$'\n'*}
}

# POSTs form fields (name=value ...) to Identity's token endpoint and prints the access token.
request_token() {
  local field fields=()
  for field in "$@"; do fields+=(--data-urlencode "$field"); done
  http_request "Identity at $IDENTITY_URL" "$IDENTITY_URL/connect/token" "${fields[@]}"
  if [ "$http_status" != 200 ]; then
    fail "Identity refused ($http_status): $(printf '%s' "$http_body" | "$PYTHON" -c 'import json, sys
try: answer = json.load(sys.stdin); print(answer.get("error_description") or answer.get("error"))
except ValueError: print("no JSON answer")')"
  fi
  printf '%s' "$http_body" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Points psql, pg_dump and pg_restore at the local run's database unless PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD
# say otherwise (the tests point them at their own servers).
use_database() {
  export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-${Infrastructure__PostgresPort:-5432}}"
  export PGUSER="${PGUSER:-reddit_user}" PGDATABASE="${PGDATABASE:-reddit_sentiment}"
  PGPASSWORD=$(platform_secret postgres-password PGPASSWORD)
  export PGPASSWORD
}
