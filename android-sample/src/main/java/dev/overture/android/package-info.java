/**
 * Android voice app sample that uses the device agent. <p>Empty in this wave: the app and its APK packaging arrive with their own issue.
 */
package dev.overture.android;
