# Sourced by ./overture and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: JAVA_HOME if it already is a JDK 21+; else the JDK of the javac on the PATH if it is one;
# else the newest JDK in the usual folders (system JVMs, macOS, /opt, SDKMAN, Homebrew, ~/.jdks).
overture_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
overture_jdk_of_path_javac() {
  javac_path=$(command -v javac 2>/dev/null) || return 1
  # Follow links (/usr/bin/javac -> /etc/alternatives/javac -> .../bin/javac) to the JDK's home.
  real=$(readlink -f "$javac_path" 2>/dev/null || echo "$javac_path")
  dirname "$(dirname "$real")"
}
overture_find_jdk() {
  tried=""
  if [ -n "${JAVA_HOME:-}" ]; then
    if [ -x "$JAVA_HOME/bin/javac" ]; then
      v=$(overture_java_major "$JAVA_HOME")
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
      tried="$tried JAVA_HOME=$JAVA_HOME (Java ${v:-unknown});"
    else
      tried="$tried JAVA_HOME=$JAVA_HOME (no javac: not a JDK);"
    fi
  fi
  from_path=$(overture_jdk_of_path_javac || true)
  if [ -n "$from_path" ] && [ -x "$from_path/bin/javac" ]; then
    v=$(overture_java_major "$from_path")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$from_path"; return 0; fi
    tried="$tried $from_path (Java ${v:-unknown}, the PATH's javac);"
  fi
  best=""; bestv=0
  home="${HOME:-/nonexistent}"
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/* \
      /opt/jdk* "$home"/.sdkman/candidates/java/* /opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
      /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home "$home"/.jdks/*; do
    [ -x "$d/bin/javac" ] || continue
    [ "$(readlink -f "$d")" = "$from_path" ] && continue # probed above
    v=$(overture_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
    [ -n "$v" ] && [ "$v" -lt 21 ] && tried="$tried $d (Java $v);"
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  echo "${tried:- none}" # what was found instead, for the message
  return 1
}
if ! overture_found=$(overture_find_jdk); then
  echo "Overture needs a JDK 21 or newer: set JAVA_HOME to one. Looked at JAVA_HOME, the javac on the PATH," >&2
  echo "/usr/lib/jvm, /Library/Java/JavaVirtualMachines, /opt/java, /opt/jdk*, SDKMAN, Homebrew and ~/.jdks;" >&2
  echo "found too old or not a JDK:$overture_found" >&2
  exit 1
fi
JAVA_HOME="$overture_found"
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
