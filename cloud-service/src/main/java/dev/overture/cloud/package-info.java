/**
 * The cloud handoff service (Spring Boot WebFlux). <p>Empty until its issue lands: it continues the device's opener with a Mixture-of-Experts model.
 */
package dev.overture.cloud;
