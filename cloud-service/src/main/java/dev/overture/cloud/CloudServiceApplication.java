package dev.overture.cloud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Overture cloud handoff service: speaks handoff protocol v1 to devices and continues each
 * reply exactly where the device's opener stopped.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CloudServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(CloudServiceApplication.class, args);
  }
}
