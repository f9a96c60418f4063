# Sourced by the wrappers of the project's command-line programs (scripts/collector, scripts/model-tools).
# run_built PROJECT_DIR ASSEMBLY [ARGS...]: builds the project (Release) when its sources are newer than the
# build, then runs it from where the caller stands, so relative paths mean what was typed (`dotnet run` would
# start the program in the project's folder).
run_built() {
  local root project assembly dll
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  project="$root/$1"; assembly="$2"; shift 2
  dll="$project/bin/Release/net10.0/$assembly.dll"
  if [ ! -f "$dll" ] || [ -n "$(find "$project" "$root/Scorer" "$root/Contracts" "$root/ServiceDefaults" -newer "$dll" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.safetensors' \) -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
    local log
    if ! log=$(dotnet build "$project" -c Release -nologo -v:quiet -clp:ErrorsOnly 2>&1); then
      printf '%s\n' "$log" >&2
      exit 1
    fi
  fi
  exec dotnet "$dll" "$@"
}
