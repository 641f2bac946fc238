package dev.overture.protocol.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code index.json}: the vector and transcript resources, relative to the index. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ConformanceIndex(
    @JsonProperty(value = "vector_files", required = true) List<String> vectorFiles,
    @JsonProperty(value = "transcripts", required = true) List<String> transcripts) {}
