package dev.overture.protocol.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A resource file of frame vectors. */
@JsonIgnoreProperties(ignoreUnknown = true)
record VectorFile(@JsonProperty(value = "vectors", required = true) List<Vector> vectors) {}
