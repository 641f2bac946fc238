package dev.overture.protocol.jackson2;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.overture.protocol.codec.JsonBinding;
import dev.overture.protocol.codec.JsonBindingException;
import java.io.IOException;

/**
 * {@link JsonBinding} over Jackson 2 ({@code com.fasterxml.jackson}), for the device side and
 * Android (API 26+). Thread-safe.
 */
public final class Jackson2Binding implements JsonBinding {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .withCoercionConfig(LogicalType.Textual, c -> c
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Integer, c -> c
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Boolean, c -> c
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Enum, c -> c
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .build();

  @Override
  public <T> T read(String json, Class<T> type) throws JsonBindingException {
    try {
      return mapper.readValue(json, type);
    } catch (IOException | RuntimeException e) {
      throw new JsonBindingException(e.getMessage(), e);
    }
  }

  @Override
  public String write(Object value) throws JsonBindingException {
    try {
      return mapper.writeValueAsString(value);
    } catch (IOException | RuntimeException e) {
      throw new JsonBindingException(e.getMessage(), e);
    }
  }
}
