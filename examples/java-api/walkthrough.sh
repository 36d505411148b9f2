#!/usr/bin/env bash
# The Java API guide on Moor: the guide's command lines with only the endpoint changed (eksctl's
# `create cluster -f` is `moor cluster create -f`). An eksctl cluster with a node group and two
# Fargate profiles, the tb-gp2 StorageClass, MySQL on the node group with its data on a tb-gp2
# volume, the API on Fargate behind a LoadBalancer Service reached from this host, then scaled
# to 4 and to 1 with a Fargate node per API pod.
#
# Needs a running Moor with kubectl and aws pointed at it: `./moor up -d; eval "$(./moor env)"`.
# MOOR may name the moor command (default: the repository's ./moor). Each step says what it
# does; the first one that fails stops the script with what went wrong and exit status 1.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
read -r -a moor <<<"${MOOR:-$repo/moor}"
namespace=tb-demo
timeout=${WALKTHROUGH_TIMEOUT_SECONDS:-180}

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf '\nwalkthrough failed: %s\n' "$*" >&2
  kubectl -n "$namespace" get pods,pvc,svc -o wide >&2 2>/dev/null || true
  kubectl get events -A --field-selector type=Warning >&2 2>/dev/null | tail -n 15 >&2 || true
  exit 1
}
# wait_until WHAT COMMAND...: runs COMMAND every half second until it succeeds, or fails naming WHAT.
wait_until() {
  local what=$1 deadline=$((SECONDS + timeout))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not after ${timeout} s"
    sleep 0.5
  done
}

for tool in kubectl aws curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
"${moor[@]}" status >/dev/null 2>&1 || fail "Moor is not running (start it: ./moor up -d; eval \"\$(./moor env)\")"
kubectl version >/dev/null 2>&1 || fail "kubectl does not reach Moor (run: eval \"\$(./moor env)\")"

step "Building the images: MySQL (examples/images/mariadb) and the API (examples/images/java-api)"
build() {
  local output
  output=$("${moor[@]}" image build -t "$1" "$2" 2>&1) || { tail -n 20 <<<"$output" >&2; fail "moor image build of $2 failed"; }
  echo "$(tail -n 1 <<<"$output") ($(grep -c -- '---> Using cache' <<<"$output" || true) steps from the build cache)"
}
build moor-examples/mariadb:latest "$repo/examples/images/mariadb"
build moor-examples/java-api:latest "$repo/examples/images/java-api"

step "eksctl create cluster -f cluster.yaml  (on Moor: moor cluster create -f)"
"${moor[@]}" cluster create -f "$here/cluster.yaml" || fail "the cluster file was refused"
aws eks list-fargate-profiles --cluster-name terrax-fargate --output text

step "kubectl apply -f storageclass.yaml"
kubectl apply -f "$here/storageclass.yaml"
kubectl get storageclass

step "kubectl apply -f mysql.yaml  (MySQL on the node group, /var/lib/mysql on a tb-gp2 volume)"
kubectl apply -f "$here/mysql.yaml"
kubectl -n "$namespace" rollout status statefulset/mysql --timeout="${timeout}s" || fail "MySQL did not become ready"
node=$(kubectl -n "$namespace" get pod mysql-0 -o jsonpath='{.spec.nodeName}')
case "$node" in fargate-*) fail "MySQL runs on Fargate node $node, not on the node group" ;; esac
kubectl -n "$namespace" get pvc
aws ec2 describe-volumes --query 'Volumes[].[VolumeId,Size,VolumeType,State,Attachments[0].InstanceId]' --output text

fargate_nodes() { kubectl get nodes -l eks.amazonaws.com/compute-type=fargate -o name | wc -l; }
baseline=$(fargate_nodes)
# api_at N: N API pods ready, each on a Fargate node of its own, and no Fargate node left over.
api_at() {
  local ready nodes
  ready=$(kubectl -n "$namespace" get pods -l app=service -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{"|"}{.spec.nodeName}{"|"}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c '^|fargate-[^|]*|True$' || true)
  nodes=$(fargate_nodes)
  [ "$ready" -eq "$1" ] && [ "$nodes" -eq $((baseline + $1)) ]
}

step "kubectl apply -f api.yaml  (the API on Fargate, 2 replicas, behind a LoadBalancer Service)"
kubectl apply -f "$here/api.yaml"
kubectl -n "$namespace" rollout status deployment/service --timeout="${timeout}s" || fail "the API did not become ready"
wait_until "2 API pods on 2 Fargate nodes" api_at 2
kubectl -n "$namespace" get pods -o wide

step "kubectl get svc  (the load balancer's name under EXTERNAL-IP)"
hostname_of() { kubectl -n "$namespace" get svc service -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'; }
has_hostname() { [ -n "$(hostname_of)" ]; }
wait_until "the Service's load balancer hostname" has_hostname
kubectl -n "$namespace" get svc service
url="http://$(hostname_of)/records"

step "curl the API through the load balancer from this host"
wait_until "an answer from $url" curl -sf -m 3 "$url"
for title in "first record" "second record"; do
  curl -sf -m 10 -H 'Content-Type: application/json' -d "{\"title\":\"$title\"}" "$url" || fail "POST $url failed"
  echo
done
curl -sf -m 10 "$url" || fail "GET $url failed"
echo

step "kubectl scale deployment service --replicas=4  (a Fargate node per pod)"
kubectl -n "$namespace" scale deployment service --replicas=4
wait_until "4 API pods on 4 Fargate nodes" api_at 4
kubectl get nodes

step "kubectl scale deployment service --replicas=1  (the other Fargate nodes go)"
kubectl -n "$namespace" scale deployment service --replicas=1
wait_until "1 API pod on 1 Fargate node" api_at 1
kubectl get nodes
curl -sf -m 10 "$url" || fail "GET $url failed after scaling"
echo

step "Done: the API answers at $url"
