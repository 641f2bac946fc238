package dev.overture.android;

import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.net.NetworkCapabilities;
import android.os.Handler;

/**
 * Whether the device has a working internet connection: a default network that Android validated. Changes are
 * reported on the main thread; {@link AgentHolder} turns them into split or device-only mode.
 */
final class NetworkWatcher extends ConnectivityManager.NetworkCallback implements AutoCloseable {

  /** Told when the answer of {@link #online()} changes. */
  interface Listener {
    void onlineChanged(boolean online);
  }

  private final ConnectivityManager connectivity;
  private final Listener listener;
  private boolean online;

  NetworkWatcher(Context context, Handler main, Listener listener) {
    this.connectivity = context.getSystemService(ConnectivityManager.class);
    this.listener = listener;
    this.online = usable(connectivity.getNetworkCapabilities(connectivity.getActiveNetwork()));
    connectivity.registerDefaultNetworkCallback(this, main);
  }

  boolean online() {
    return online;
  }

  @Override
  public void onCapabilitiesChanged(Network network, NetworkCapabilities capabilities) {
    update(usable(capabilities));
  }

  @Override
  public void onLost(Network network) {
    update(false);
  }

  private void update(boolean now) {
    if (now != online) {
      online = now;
      listener.onlineChanged(now);
    }
  }

  private static boolean usable(NetworkCapabilities capabilities) {
    return capabilities != null
        && capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET)
        && capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED);
  }

  @Override
  public void close() {
    connectivity.unregisterNetworkCallback(this);
  }
}
