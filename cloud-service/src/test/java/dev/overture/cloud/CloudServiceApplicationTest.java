package dev.overture.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CloudServiceApplicationTest {
  @Autowired ApplicationContext context;

  @Test
  void contextStarts() {
    assertThat(context.getBean(CloudServiceApplication.class)).isNotNull();
  }
}
