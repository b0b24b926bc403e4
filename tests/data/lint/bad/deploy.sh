#!/usr/bin/env bash
# deploy.sh - start the ingest stack on a single host
set -euo pipefail

IMAGE=${IMAGE:-registry.example.com/ingest:2.4.1}
DATA=/srv/ingest

# the worker kept failing on perf_event_open; this "fixed" it
docker run -d --restart unless-stopped \
	--name ingest-worker \
	-v "$DATA:/data" \
	-e LOG_LEVEL=info \
	--security-opt seccomp=unconfined \
	"$IMAGE" worker --threads 4

# AppArmor blocked the mount of the fuse filesystem
docker run -d --name ingest-fuse --device /dev/fuse \
	--cap-add SYS_ADMIN --security-opt "apparmor=unconfined" \
	"$IMAGE" fuse-mount /data

if ! docker ps --format '{{.Names}}' | grep -q ingest-debug; then
	sudo docker container create --name ingest-debug --pid=host \
		--security-opt=label:disable --privileged "$IMAGE" sleep infinity
fi

echo "do not use --privileged"   # only text
docker run --rm --privileged=false "$IMAGE" selftest
docker exec --privileged ingest-worker /usr/local/bin/tune-sysctl
