package dev.overture.android;

import okhttp3.HttpUrl;

/**
 * The user's cloud settings: the service's base URL and API key (either may be empty).
 *
 * @param url the cloud service's root, for example {@code https://overture.example.com}
 * @param apiKey the key the service expects, or empty
 */
record CloudSettings(String url, String apiKey) {

  static final CloudSettings NONE = new CloudSettings("", "");

  CloudSettings {
    url = url == null ? "" : url.trim();
    apiKey = apiKey == null ? "" : apiKey.trim();
  }

  /** Whether the URL is one the agent can use ({@code http} or {@code https}). */
  boolean usable() {
    return HttpUrl.parse(url) != null;
  }
}
