#!/usr/bin/env bash
# Installs Winnow as a systemd service. Safe to run again: an upgrade replaces the binaries and
# the unit, keeps /etc/winnow/winnow.toml, and restarts the service only if it is running and
# something it uses changed.
#
#   Deploy/install.sh [--bin DIR] [--prefix DIR] [--enable]
#
#   --bin DIR     take winnowd and winnowctl from DIR instead of building them
#                 (default: build in release with scripts/bootstrap, which installs missing packages)
#   --prefix DIR  where bin/ and share/doc/winnow/ go (default /usr/local)
#   --enable      also enable the service at boot and start it now
#
# What it installs:
#   PREFIX/bin/winnowd, PREFIX/bin/winnowctl
#   /etc/systemd/system/winnow.service             (with ExecStart under PREFIX)
#   /usr/lib/sysusers.d/winnow.conf                (user winnow; groups winnow-submit, winnow-admin)
#   /usr/lib/tmpfiles.d/winnow.conf                (/var/spool/winnow/{inbox,work})
#   /etc/winnow/winnow.toml                        (only when absent)
#   PREFIX/share/doc/winnow/                       (README.md, winnow.toml with every key, boilerplate-rules.toml)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="" prefix=/usr/local enable=0
while (($#)); do
  case "$1" in
    --bin) bin=${2:?--bin needs a directory}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --enable) enable=1; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it creates a system user and installs a unit)" >&2; exit 1; }

if [ -z "$bin" ]; then
  "$here/../scripts/bootstrap" build
  bin="$here/../.build/release"
fi
for program in winnowd winnowctl; do
  [ -x "$bin/$program" ] || { echo "install.sh: $bin/$program is missing or not executable" >&2; exit 1; }
done

changed=0
# Installs SOURCE as TARGET with MODE unless TARGET already has the same bytes; counts changes.
put() {
  local mode=$1 source=$2 target=$3
  if [ -f "$target" ] && cmp -s "$source" "$target"; then return; fi
  install -D -m "$mode" "$source" "$target.new"
  mv -f "$target.new" "$target"   # atomic: a running daemon keeps its old inode
  echo "install.sh: installed $target"
  changed=1
}

put 0755 "$bin/winnowd" "$prefix/bin/winnowd"
put 0755 "$bin/winnowctl" "$prefix/bin/winnowctl"
unit=$(mktemp)
trap 'rm -f "$unit"' EXIT
sed "s|/usr/local/|$prefix/|g" "$here/winnow.service" > "$unit"
put 0644 "$unit" /etc/systemd/system/winnow.service
put 0644 "$here/sysusers.d/winnow.conf" /usr/lib/sysusers.d/winnow.conf
put 0644 "$here/tmpfiles.d/winnow.conf" /usr/lib/tmpfiles.d/winnow.conf
docs="$prefix/share/doc/winnow"
put 0644 "$here/README.md" "$docs/README.md"
put 0644 "$here/winnow.toml" "$docs/winnow.toml"
put 0644 "$here/boilerplate-rules.toml" "$docs/boilerplate-rules.toml"

systemd-sysusers /usr/lib/sysusers.d/winnow.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/winnow.conf
if [ -e /etc/winnow/winnow.toml ]; then
  if ! cmp -s "$here/system/winnow.toml" /etc/winnow/winnow.toml; then
    echo "install.sh: kept your /etc/winnow/winnow.toml (the shipped one is $here/system/winnow.toml)"
  fi
else
  install -D -m 0644 "$here/system/winnow.toml" /etc/winnow/winnow.toml
  echo "install.sh: installed /etc/winnow/winnow.toml"
fi

if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if ((enable)); then
    systemctl enable --now winnow.service
  elif ((changed)) && systemctl is-active --quiet winnow.service; then
    systemctl restart winnow.service
    echo "install.sh: restarted winnow.service"
  fi
else
  echo "install.sh: systemd is not running here; start winnow.service once it is"
fi
cat <<TEXT
install.sh: done. Next:
  systemctl enable --now winnow          start it now and at boot
  usermod -aG winnow-submit USER         let USER drop files into /var/spool/winnow/inbox
  usermod -aG winnow-admin USER          let USER run winnowctl
TEXT
