#!/usr/bin/env bash
# One-click relaymesh on DigitalOcean Kubernetes: a cluster, the firewall rules media needs, and the Helm chart
# (operator, CRDs, a MediaCluster and a MediaZone). Needs doctl (authenticated), kubectl and helm.
# Run from the repository root: examples/kubernetes/digitalocean-one-click.sh [cluster-name] [region]
set -euo pipefail

name="${1:-relaymesh}"
region="${2:-fra1}"
size="${RELAYMESH_NODE_SIZE:-s-4vcpu-8gb}"
nodes="${RELAYMESH_NODE_COUNT:-3}"

doctl kubernetes cluster create "$name" --region "$region" --size "$size" --count "$nodes" --wait

# Media nodes use the host network: open exactly their public ports (defaults: WebRTC UDP 10000, RTMP TCP 1935,
# SIP UDP+TCP 5060) on the worker droplets. The gateway is reached through its LoadBalancer; node-to-node
# traffic (cluster overlay, health) stays inside the VPC, which DOKS already allows.
tag="k8s:$(doctl kubernetes cluster get "$name" --format ID --no-header)"
doctl compute firewall create --name "$name-media" --tag-names "$tag" \
  --inbound-rules "protocol:udp,ports:10000,address:0.0.0.0/0,address:::/0 protocol:tcp,ports:1935,address:0.0.0.0/0,address:::/0 protocol:udp,ports:5060,address:0.0.0.0/0,address:::/0 protocol:tcp,ports:5060,address:0.0.0.0/0,address:::/0"

helm install relaymesh helm/relaymesh -n relaymesh --create-namespace \
  --set cluster.gateway.serviceType=LoadBalancer

kubectl -n relaymesh wait --for=condition=Ready mediacluster/relaymesh --timeout=10m
kubectl -n relaymesh get mediaclusters,mediazones
