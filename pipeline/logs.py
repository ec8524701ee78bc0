"""Structured logging: one JSON object per line on stderr.

Call ``log.info("kafka started", extra={"port": 9092})``: the extra fields become
keys of the line, so logs can be grepped and parsed alike.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import datetime, timezone

_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


NOISY_LOGGERS = ("kafka", "aiokafka", "elastic_transport", "urllib3", "faust", "mode", "httpx")


def logging_config(level: str = "INFO") -> dict:
    """A dictConfig: JSON lines on stderr. Faust's worker takes it too, as it configures logging itself."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonLineFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {name: {"level": "WARNING"} for name in NOISY_LOGGERS},
    }


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))
