"""Parses a /q/metrics scrape with Prometheus' own Python client (Debian: python3-prometheus-client).

    python3 parse_metrics.py text FILE          # Prometheus text format 0.0.4
    python3 parse_metrics.py openmetrics FILE   # OpenMetrics 1.0 (must end with "# EOF")

Prints one JSON object per metric family: {"name", "type", "samples": [[name, labels], ...]};
exits 1 with the parser's message when the scrape does not parse.
"""
import json
import sys

from prometheus_client.openmetrics import parser as openmetrics_parser
from prometheus_client import parser as text_parser


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parse = text_parser.text_string_to_metric_families if kind == "text" \
        else openmetrics_parser.text_string_to_metric_families
    try:
        families = list(parse(text))
    except Exception as e:  # the parser's own message is the point of this check
        print(f"PARSE ERROR ({kind}): {e}", file=sys.stderr)
        return 1
    for family in families:
        print(json.dumps({"name": family.name, "type": family.type,
                          "samples": [[s.name, s.labels] for s in family.samples]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
