package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who is calling, for logs and compatibility decisions.
 *
 * @param name the client application, 1 to 64 characters
 * @param version its version, 1 to 64 characters
 * @param platform for example {@code "android-34"}, optional, up to 64 characters
 * @param openerModel the on-device opener model, optional, up to 128 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientInfo(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "version", required = true) String version,
    @JsonProperty("platform") String platform,
    @JsonProperty("opener_model") String openerModel) {}
