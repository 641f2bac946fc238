# Sourced by ./overture and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: JAVA_HOME if it already is a JDK 21+, else the newest JDK in the system's JVM folders.
overture_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
overture_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(overture_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(overture_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}
if ! JAVA_HOME=$(overture_find_jdk); then
  echo "Overture needs a JDK 21 or newer: set JAVA_HOME to one (found none in JAVA_HOME or /usr/lib/jvm)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
