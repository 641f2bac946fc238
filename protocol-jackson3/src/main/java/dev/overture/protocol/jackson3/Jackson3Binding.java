package dev.overture.protocol.jackson3;

import dev.overture.protocol.codec.JsonBinding;
import dev.overture.protocol.codec.JsonBindingException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/** {@link JsonBinding} over Jackson 3 ({@code tools.jackson}), for the cloud side. Thread-safe. */
public final class Jackson3Binding implements JsonBinding {

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
    } catch (RuntimeException e) { // JacksonException is unchecked in Jackson 3
      throw new JsonBindingException(e.getMessage(), e);
    }
  }

  @Override
  public String write(Object value) throws JsonBindingException {
    try {
      return mapper.writeValueAsString(value);
    } catch (RuntimeException e) {
      throw new JsonBindingException(e.getMessage(), e);
    }
  }
}
