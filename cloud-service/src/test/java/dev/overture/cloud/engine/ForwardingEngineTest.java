package dev.overture.cloud.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class ForwardingEngineTest {

  /**
   * A wrapped engine must behave as the engine itself in everything it does not observe: a method
   * left to the interface's default (accept every context, no context limit) would give benchmarks
   * and tests another path than production.
   */
  @Test
  void everyMethodOfTheEngineIsForwarded() throws NoSuchMethodException {
    for (Method method : ContinuationEngine.class.getMethods()) {
      if (method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method forwarded = ForwardingEngine.class.getMethod(method.getName(), method.getParameterTypes());
      assertThat(forwarded.getDeclaringClass()).as(method.getName()).isEqualTo(ForwardingEngine.class);
    }
  }
}
