#!/usr/bin/env bash
# Builds android-sample/target/overture-android-<version>-debug.apk, an installable, signed debug APK, without
# the Android SDK or Google's repositories (docs/android.md, "Building the APK"):
#   - D8 (com.android.tools:r8) and the framework (org.robolectric:android-all) come from Maven Central;
#   - aapt, zipalign and apksigner come from Debian packages, installed here when missing.
#
#   android-sample/build-apk.sh          install the tools if needed, build the module with Maven, package, verify
#   android-sample/build-apk.sh --package-only
#                                        what the Maven build runs at `package` (inputs in environment variables);
#                                        when the tools are missing and cannot be installed it warns and skips,
#                                        so that a machine without Debian's tools still builds and tests
#
# Idempotent: every output is rebuilt in place; the libraries' dex is cached under target/apk/ by content.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
tools=(aapt zipalign apksigner unzip)
start=$SECONDS

log() { echo "build-apk: $*" >&2; }
step() { log "$1 ($((SECONDS - start)) s)"; }

missing_tools() {
  local t
  for t in "${tools[@]}"; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done
}

# Installs the Debian packages that provide aapt, zipalign, apksigner and unzip; returns non-zero when it cannot.
install_tools() {
  [ -z "$(missing_tools)" ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || { log "not root and no password-less sudo: cannot install $(missing_tools | xargs)"; return 1; }
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null 2>&1 || { log "no apt-get: install $(missing_tools | xargs) yourself (Debian/Ubuntu packages aapt zipalign apksigner unzip)"; return 1; }
  log "installing $(missing_tools | xargs) from Debian"
  local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
  # A fresh machine has no package lists yet: update once, then retry.
  "${apt[@]}" install --no-install-recommends aapt zipalign apksigner unzip >/dev/null \
    || { "${apt[@]}" update >/dev/null && "${apt[@]}" install --no-install-recommends aapt zipalign apksigner unzip >/dev/null; } \
    || { log "apt-get failed"; return 1; }
  [ -z "$(missing_tools)" ]
}

if [ "${1:-}" != "--package-only" ]; then
  # Standalone: the tools are required, then Maven builds the module and its packaging step (below) runs inside it.
  . "$root/scripts/java-home.sh"
  install_tools || { log "the APK needs aapt, zipalign, apksigner and unzip"; exit 1; }
  cd "$root"
  APK_REQUIRED=1 ./mvnw -B -q -pl android-sample -am package -Dmaven.test.skip=true -Dapk.skip=false "$@"
  exit 0
fi

# ---- Packaging, run by Maven at `package` with its inputs in the environment. ----

: "${APK_WORK:?}" "${ANDROID_JAR:?}" "${APP_JAR:?}" "${RUNTIME_CLASSPATH:?}" "${R8_JAR:?}" "${MODEL:?}" "${MANIFEST:?}" "${APK_OUT:?}"
: "${APPLICATION_ID:?}" "${MIN_SDK:?}" "${TARGET_SDK:?}" "${VERSION_CODE:?}" "${VERSION_NAME:?}"

if ! install_tools; then
  if [ "${APK_REQUIRED:-0}" = 1 ]; then
    exit 1
  fi
  log "WARNING: skipping the APK (the Java build and tests are unaffected): $(missing_tools | xargs) missing"
  exit 0
fi
. "$root/scripts/java-home.sh"

rm -rf "$APK_WORK/root" "$APK_WORK/assets" "$APK_WORK"/*.apk
mkdir -p "$APK_WORK/root" "$APK_WORK/assets" "$APK_WORK/dex-cache"

# The runtime classpath, split into third-party libraries (dexed once, cached) and the project's own jars.
IFS=: read -r -a classpath <<<"$(cat "$RUNTIME_CLASSPATH")"   # (the file has no final newline)
libraries=()
project=("$APP_JAR")
for jar in "${classpath[@]}"; do
  case "$jar" in
    *android-all*) log "android-all is on the runtime classpath: it must stay provided"; exit 1 ;;
    "$root"/*|*/dev/overture/*) project+=("$jar") ;;
    *) libraries+=("$jar") ;;
  esac
done

# ---- Dex. ----
d8=(java -Xmx2g -cp "$R8_JAR" com.android.tools.r8.D8 --min-api "$MIN_SDK" --lib "$ANDROID_JAR" --lib "$JAVA_HOME")
key=$( (echo "$R8_JAR $MIN_SDK"; sha256sum "${libraries[@]}") | sha256sum | cut -c1-16)
cached="$APK_WORK/dex-cache/libraries-$key.zip"
if [ ! -f "$cached" ]; then
  step "dexing ${#libraries[@]} libraries (cached for the next builds)"
  rm -f "$APK_WORK"/dex-cache/*
  # Intermediate: D8 leaves the global synthetic classes (record desugaring) to the final merge.
  "${d8[@]}" --intermediate --globals-output "$APK_WORK/dex-cache/globals-$key.zip" --output "$cached.tmp.zip" "${libraries[@]}"
  mv "$cached.tmp.zip" "$cached"
fi
step "dexing ${#project[@]} project jars and merging"
library_classpath=()
for jar in "${libraries[@]}"; do library_classpath+=(--classpath "$jar"); done
"${d8[@]}" "${library_classpath[@]}" --globals "$APK_WORK/dex-cache/globals-$key.zip" --output "$APK_WORK/root" "$cached" "${project[@]}"

# ---- Java resources of the jars (OkHttp's public suffix list, service files); no signatures or build metadata. ----
for jar in "${classpath[@]}" "$APP_JAR"; do
  unzip -q -o "$jar" -x '*.class' 'META-INF/*' -d "$APK_WORK/root" 2>/dev/null || [ $? = 11 ]   # 11: nothing matched
  unzip -q -o "$jar" 'META-INF/services/*' -d "$APK_WORK/root" 2>/dev/null || [ $? = 11 ]
done

# ---- Manifest, assets, package. ----
step "packaging with aapt"
# The source manifest has no package (the Android Gradle Plugin takes it from build.gradle); aapt needs it.
sed "0,/<manifest /s//<manifest package=\"$APPLICATION_ID\" /" "$MANIFEST" > "$APK_WORK/AndroidManifest.xml"
cp "$MODEL" "$APK_WORK/assets/"
unaligned="$APK_WORK/unaligned.apk"
# -0 gguf: the model is stored, not deflated, so that the app can map it straight from the APK.
aapt package -f -M "$APK_WORK/AndroidManifest.xml" -I "$ANDROID_JAR" -A "$APK_WORK/assets" -0 gguf \
  --min-sdk-version "$MIN_SDK" --target-sdk-version "$TARGET_SDK" --version-code "$VERSION_CODE" --version-name "$VERSION_NAME" \
  -F "$unaligned" "$APK_WORK/root"
zipalign -f -p 4 "$unaligned" "$APK_WORK/aligned.apk"

# ---- Sign with the standard debug key (shared with Gradle builds, so that either APK installs over the other). ----
# Where HOME is not writable (some CI sandboxes) the key lives in target/ instead.
keystore="${DEBUG_KEYSTORE:-$HOME/.android/debug.keystore}"
if [ -z "${DEBUG_KEYSTORE:-}" ] && ! mkdir -p "$HOME/.android" 2>/dev/null; then
  keystore="$APK_WORK/debug.keystore"
fi
if [ ! -f "$keystore" ]; then
  log "creating the debug keystore $keystore"
  mkdir -p "$(dirname "$keystore")"
  fresh="$keystore.$$.tmp"
  keytool -genkeypair -keystore "$fresh" -storetype PKCS12 -storepass android -keypass android -alias androiddebugkey \
    -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=Android Debug,O=Android,C=US" >/dev/null 2>&1
  mv -n "$fresh" "$keystore"   # a build running beside this one may have made it first: keep that one
  rm -f "$fresh"
fi
apksigner sign --ks "$keystore" --ks-pass pass:android --key-pass pass:android --ks-key-alias androiddebugkey \
  --out "$APK_OUT" "$APK_WORK/aligned.apk"
rm -f "$APK_OUT.idsig"

# ---- Verify. ----
step "verifying"
fail() { log "FAILED: $*"; exit 1; }
entries=$(unzip -Z1 "$APK_OUT")
grep -qx 'classes.dex' <<<"$entries" || fail "no classes.dex"
grep -qx 'AndroidManifest.xml' <<<"$entries" || fail "no AndroidManifest.xml"
model_entry="assets/$(basename "$MODEL")"
grep -qx "$model_entry" <<<"$entries" || fail "no $model_entry"
# (Outputs are captured before grep -q: under pipefail, grep leaving early would fail the pipe.)
model_info=$(unzip -Zv "$APK_OUT" "$model_entry")
grep -q 'compression method: *none (stored)' <<<"$model_info" || fail "$model_entry is compressed: it could not be mapped"
if grep -E '\.so$|^lib/' <<<"$entries"; then fail "native code in the APK"; fi
dex_dir="$APK_WORK/check"
rm -rf "$dex_dir"
unzip -q "$APK_OUT" 'classes*.dex' -d "$dex_dir"
for jar in "${classpath[@]}" "$APP_JAR"; do
  if unzip -Z1 "$jar" | grep -E '\.(so|dll|dylib|jnilib)$'; then fail "$(basename "$jar") carries native code"; fi
  # Each jar's first class must be in the dex (its type descriptor is in a dex string table).
  first=$(unzip -Z1 "$jar" | grep '\.class$' | grep -v -e '^META-INF/' -e 'module-info.class' | head -n 1 || true)
  [ -z "$first" ] && continue
  descriptor="L${first%.class};"
  grep -aqF "$descriptor" "$dex_dir"/classes*.dex || fail "$(basename "$jar") is not in the dex ($descriptor)"
done
zipalign -c -p 4 "$APK_OUT" || fail "not aligned"
apksigner verify --min-sdk-version "$MIN_SDK" "$APK_OUT" || fail "apksigner verify"
badging=$(aapt dump badging "$APK_OUT")
grep -q "package: name='$APPLICATION_ID'" <<<"$badging" || fail "manifest package"

size=$(stat -c %s "$APK_OUT")
step "OK: ${APK_OUT#"$root"/} ($((size / 1024)) KiB; dex, manifest, $model_entry stored, ${#classpath[@]} native-free dependencies, signature verified)"
