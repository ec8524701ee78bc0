# The pipeline worker. Kafka and Elasticsearch come from docker-compose.yml.
FROM python:3.11-slim

# torch's CPU-only wheels keep the image small; set TORCH_INDEX to "" to use PyPI's default build.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

WORKDIR /app
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
RUN if [ -n "$TORCH_INDEX" ]; then pip install --no-cache-dir --index-url "$TORCH_INDEX" torch==2.15.0; fi \
 && pip install --no-cache-dir -e .

COPY config ./config
COPY models ./models
COPY examples ./examples

RUN useradd --create-home worker && chown -R worker /app
USER worker
CMD ["python", "-m", "pipeline", "run"]
