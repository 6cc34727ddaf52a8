#!/bin/bash
# Run a command under /usr/bin/time -v and sum VmRSS over its process tree (pstree -pT: processes,
# not threads) every 0.5 s. Usage: benchmarks/tree_rss.sh OUT cmd...  -> OUT.stdout, OUT.time, OUT.tree
out=$1; shift
/usr/bin/time -v "$@" > $out.stdout 2> $out.time &
tpid=$!
peak=0; maxkids=0
while kill -0 $tpid 2>/dev/null; do
  pids=$(pstree -pT $tpid 2>/dev/null | grep -o '([0-9]*)' | tr -d '()' | tr '\n' ' ')
  n=$(echo $pids | wc -w)
  rss=0; for p in $pids; do r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); rss=$((rss + ${r:-0})); done
  [ $rss -gt $peak ] && peak=$rss
  [ $n -gt $maxkids ] && maxkids=$n
  sleep 0.5
done
echo "tree_peak_kb=$peak processes_max=$maxkids (incl. time and python)" > $out.tree
