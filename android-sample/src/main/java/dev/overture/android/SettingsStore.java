package dev.overture.android;

import android.content.SharedPreferences;

/**
 * The cloud settings in the app's private preferences. A shipping app would keep the API key in the Android
 * Keystore rather than in plain preferences; the sample keeps it simple (docs/android.md).
 */
final class SettingsStore {

  private static final String URL = "cloud_url";
  private static final String API_KEY = "cloud_api_key";

  private final SharedPreferences preferences;

  SettingsStore(SharedPreferences preferences) {
    this.preferences = preferences;
  }

  CloudSettings load() {
    return new CloudSettings(preferences.getString(URL, ""), preferences.getString(API_KEY, ""));
  }

  void save(CloudSettings settings) {
    preferences.edit().putString(URL, settings.url()).putString(API_KEY, settings.apiKey()).apply();
  }
}
