# Shared by the peer adapters (sourced).  Each adapter is called as
#   ADAPTER --docs DOCS.jsonl --queries NEUTRAL.txt --work DIR --out RESULT.kv
#           --iterations N [--quick] [--port-base P] [--wrk-seconds S]
# and writes "key value" lines to RESULT.kv; exit 77 (with "skipped REASON") = skipped.
bench_d=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
docs="" queries="" work="" out="" iterations=3 quick=0 port_base=0 wrk_seconds=10 wrk_conns=4
while [[ $# -gt 0 ]]; do
  case $1 in
    --docs) docs=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --port-base) port_base=$2; shift 2 ;;
    --wrk-seconds) wrk_seconds=$2; shift 2 ;;
    --wrk-connections) wrk_conns=$2; shift 2 ;;
    *) echo "$(basename "$0"): unknown option $1" >&2; exit 1 ;;
  esac
done
mkdir -p "$work"
# Absolute paths: the web servers the adapters start chdir to / when they daemonize.
work=$(cd "$work" && pwd)
case $out in /*) ;; *) out=$PWD/$out ;; esac
: >"$out"
kv() { echo "$1 $2" >>"$out"; }
skip() { kv skipped "$*"; echo "$(basename "$0"): skipped: $*" >&2; exit 77; }
# timed LABEL CMD...: runs CMD under /usr/bin/time -v; records LABEL_wall_s and LABEL_rss_kb.
timed() {
  local label=$1; shift
  local tf=$work/$label.time
  /usr/bin/time -v -o "$tf" "$@"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
  kv "${label}_wall_s" "$wall"; kv "${label}_rss_kb" "$rss"
}
du_bytes() { du -sb "$@" | awk '{s+=$1} END{print s}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ndocs=$( [[ -n $docs && -f $docs ]] && wc -l <"$docs" || echo 0)
py=/usr/bin/python3; [[ -x $py ]] || py=python3  # Debian python3-* modules (psycopg2, pymysql)
