package dev.overture.android;

import android.Manifest;
import android.app.Activity;
import android.app.AlertDialog;
import android.content.pm.PackageManager;
import android.content.res.AssetFileDescriptor;
import android.content.res.AssetManager;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import android.text.InputType;
import android.view.MotionEvent;
import android.view.View;
import android.widget.Button;
import android.widget.EditText;
import android.widget.LinearLayout;
import android.widget.ScrollView;
import android.widget.TextView;
import dev.overture.device.AgentMode;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one screen: a transcript, a status line, a push-to-talk button and the cloud settings. It only wires
 * Android's services to the glue ({@link VoiceSession}, {@link AgentHolder}) and draws; every decision is made
 * there. Views are built in code so that the app has no resources and compiles without a generated {@code R}
 * class (docs/android.md).
 */
public final class MainActivity extends Activity {

  /** The bundled micro model; stored uncompressed in the APK so that it is mapped, not copied. */
  static final String MODEL_ASSET = "overture-micro-q8_0.gguf";
  private static final int AUDIO_PERMISSION_REQUEST = 1;

  private final Handler main = new Handler(Looper.getMainLooper());
  private final Executor mainExecutor = main::post;
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private final Transcript transcript = new Transcript();

  private TextView status;
  private TextView transcriptView;
  private ScrollView scroll;
  private Button talk;

  private SettingsStore settings;
  private NetworkWatcher network;
  private AndroidTts tts;
  private AndroidRecognizer recognizer;
  private AndroidAudioFocus focus;
  private VoiceSession session;
  private AgentHolder agent;
  private String agentState = "Loading the model…";
  private String permissionNote = "";

  @Override
  protected void onCreate(Bundle savedInstanceState) {
    super.onCreate(savedInstanceState);
    setContentView(layout());
    settings = new SettingsStore(getSharedPreferences("overture", MODE_PRIVATE));
    focus = new AndroidAudioFocus(this, main);
    tts = new AndroidTts(this, main);
    recognizer = new AndroidRecognizer(this);
    session = new VoiceSession(tts, recognizer, focus, transcript, this::render);
    tts.setEvents(session.speechEvents());
    recognizer.setEvents(session);
    focus.setSession(session);
    network = new NetworkWatcher(this, main, online -> reconfigure());
    background.execute(this::loadModel);
    if (!hasMicrophone()) {
      requestPermissions(new String[] {Manifest.permission.RECORD_AUDIO}, AUDIO_PERMISSION_REQUEST);
    }
    render();
  }

  @Override
  protected void onDestroy() {
    network.close();
    recognizer.close();
    tts.close();
    focus.abandon();
    if (agent != null) {
      agent.close();
    }
    background.shutdown(); // after the agent's close, which runs there
    super.onDestroy();
  }

  @Override
  public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {
    if (requestCode == AUDIO_PERMISSION_REQUEST) {
      permissionNote = hasMicrophone() ? "" : "Push-to-talk needs the microphone permission.";
      render();
    }
  }

  /** On the background thread: maps the model, then builds the agent for the current settings and network. */
  private void loadModel() {
    try {
      ByteBuffer model = mapModel(getAssets());
      main.post(() -> {
        if (isDestroyed()) {
          return;
        }
        agent = new AgentHolder(MODEL_ASSET, model, background, mainExecutor, session, new AgentHolder.Listener() {
          @Override
          public void ready(AgentMode mode) {
            agentState = describe(mode);
            render();
          }

          @Override
          public void failed(Exception error) {
            agentState = "The agent could not start: " + error.getMessage();
            render();
          }
        });
        reconfigure();
      });
    } catch (IOException e) {
      main.post(() -> {
        agentState = "Could not load the model: " + e.getMessage();
        render();
      });
    }
  }

  /**
   * Maps the model asset: the APK stores it uncompressed (aapt -0 gguf, Gradle noCompress), so it is a plain
   * region of the APK file that the kernel pages in on demand, with no copy on the Java heap.
   */
  static ByteBuffer mapModel(AssetManager assets) throws IOException {
    AssetFileDescriptor descriptor = assets.openFd(MODEL_ASSET);
    try (FileInputStream in = descriptor.createInputStream()) { // closing it closes the descriptor
      return in.getChannel().map(FileChannel.MapMode.READ_ONLY, descriptor.getStartOffset(), descriptor.getLength());
    }
  }

  private void reconfigure() {
    if (agent != null) {
      agent.configure(settings.load(), network.online());
    }
  }

  private String describe(AgentMode mode) {
    if (mode == AgentMode.SPLIT) {
      return "Device + cloud (" + settings.load().url() + ")";
    }
    return network.online() ? "Device only: no cloud set (Settings)" : "Device only: offline";
  }

  private void render() {
    String notice = session.notice();
    StringBuilder line = new StringBuilder(agentState);
    for (String extra : new String[] {permissionNote, notice, tts.broken() ? "No text-to-speech engine: replies are shown only." : ""}) {
      if (!extra.isEmpty()) {
        line.append('\n').append(extra);
      }
    }
    status.setText(line);
    talk.setEnabled(session.ready());
    talk.setText(session.listening() ? "Listening… release to send" : session.speaking() ? "Hold to interrupt" : "Hold to talk");
    transcriptView.setText(TranscriptSpans.of(transcript.segments()));
    scroll.post(() -> scroll.fullScroll(View.FOCUS_DOWN));
  }

  private boolean hasMicrophone() {
    return checkSelfPermission(Manifest.permission.RECORD_AUDIO) == PackageManager.PERMISSION_GRANTED;
  }

  private boolean onTalkTouch(View view, MotionEvent event) {
    switch (event.getActionMasked()) {
      case MotionEvent.ACTION_DOWN:
        if (hasMicrophone()) {
          session.pressed();
        } else {
          requestPermissions(new String[] {Manifest.permission.RECORD_AUDIO}, AUDIO_PERMISSION_REQUEST);
        }
        return true;
      case MotionEvent.ACTION_UP:
        session.released();
        view.performClick();
        return true;
      case MotionEvent.ACTION_CANCEL:
        session.released();
        return true;
      default:
        return false;
    }
  }

  private void showSettings() {
    CloudSettings current = settings.load();
    EditText url = new EditText(this);
    url.setHint("https://overture.example.com");
    url.setInputType(InputType.TYPE_CLASS_TEXT | InputType.TYPE_TEXT_VARIATION_URI);
    url.setText(current.url());
    EditText key = new EditText(this);
    key.setHint("API key");
    key.setInputType(InputType.TYPE_CLASS_TEXT | InputType.TYPE_TEXT_VARIATION_PASSWORD);
    key.setText(current.apiKey());
    LinearLayout form = new LinearLayout(this);
    form.setOrientation(LinearLayout.VERTICAL);
    form.addView(url);
    form.addView(key);
    new AlertDialog.Builder(this)
        .setTitle("Cloud service")
        .setMessage("Leave the URL empty to answer on the device only.")
        .setView(form)
        .setPositiveButton("Save", (dialog, which) -> {
          settings.save(new CloudSettings(url.getText().toString(), key.getText().toString()));
          reconfigure();
        })
        .setNegativeButton("Cancel", null)
        .show();
  }

  private View layout() {
    int padding = Math.round(16 * getResources().getDisplayMetrics().density);
    LinearLayout root = new LinearLayout(this);
    root.setOrientation(LinearLayout.VERTICAL);
    root.setPadding(padding, padding, padding, padding);
    root.setFitsSystemWindows(true);

    TextView legend = new TextView(this);
    legend.setText(TranscriptSpans.legend());
    status = new TextView(this);
    transcriptView = new TextView(this);
    transcriptView.setTextIsSelectable(true);
    scroll = new ScrollView(this);
    scroll.addView(transcriptView);

    talk = new Button(this);
    talk.setOnTouchListener(this::onTalkTouch);
    Button settingsButton = new Button(this);
    settingsButton.setText("Settings");
    settingsButton.setOnClickListener(view -> showSettings());
    LinearLayout buttons = new LinearLayout(this);
    buttons.addView(talk, new LinearLayout.LayoutParams(0, LinearLayout.LayoutParams.WRAP_CONTENT, 1f));
    buttons.addView(settingsButton);

    root.addView(legend);
    root.addView(status);
    root.addView(scroll, new LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, 0, 1f));
    root.addView(buttons);
    return root;
  }
}
