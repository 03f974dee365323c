# One Kafka KRaft node (broker and controller), secured with SCRAM and the pipeline's ACLs: the devstack jar's
# KafkaServerMain on slipway/jre. Its data is in the volume /var/lib/kafka, owned by user slipway.
ARG BASE=slipway/jre:latest
FROM ${BASE}
ARG JAR
ARG VERSION
LABEL org.opencontainers.image.title="slipway/kafka" org.opencontainers.image.version="${VERSION}"
COPY ${JAR} /opt/slipway/devstack.jar
USER 0
RUN mkdir -p /var/lib/kafka && chown 10001:10001 /var/lib/kafka && chmod 0700 /var/lib/kafka
ENV SLIPWAY_DATA_DIR=/var/lib/kafka SLIPWAY_KAFKA_LISTEN=0.0.0.0
VOLUME /var/lib/kafka
EXPOSE 9092
USER 10001:10001
ENTRYPOINT ["tini", "--", "java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/slipway/devstack.jar", "io.slipway.devstack.KafkaServerMain"]
