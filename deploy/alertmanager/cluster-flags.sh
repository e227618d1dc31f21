# Generated from thresholds.yaml by `make build`; do not edit.
# Start each Alertmanager peer with the shared configuration (alertmanager/alertmanager.yml) and its flags below.

# alertmanager-0
alertmanager --config.file=alertmanager.yml \
  --web.listen-address=alertmanager-0.monitoring.internal:9093 \
  --cluster.listen-address=0.0.0.0:9094 \
  --cluster.peer=alertmanager-1.monitoring.internal:9094 \
  --cluster.peer=alertmanager-2.monitoring.internal:9094

# alertmanager-1
alertmanager --config.file=alertmanager.yml \
  --web.listen-address=alertmanager-1.monitoring.internal:9093 \
  --cluster.listen-address=0.0.0.0:9094 \
  --cluster.peer=alertmanager-0.monitoring.internal:9094 \
  --cluster.peer=alertmanager-2.monitoring.internal:9094

# alertmanager-2
alertmanager --config.file=alertmanager.yml \
  --web.listen-address=alertmanager-2.monitoring.internal:9093 \
  --cluster.listen-address=0.0.0.0:9094 \
  --cluster.peer=alertmanager-0.monitoring.internal:9094 \
  --cluster.peer=alertmanager-1.monitoring.internal:9094
