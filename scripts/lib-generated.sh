# Shared by the table generators: finish_generated NAME OUT NEW [--check]
# With --check, exits 1 (showing the diff) when OUT differs from NEW;
# otherwise copies NEW over OUT.
finish_generated() {
  local name=$1 out=$2 new=$3 mode=${4:-}
  if [ "$mode" = --check ]; then
    if ! diff -u "$out" "$new"; then
      echo "$name: $out differs from the headers on this machine; run scripts/$name.sh" >&2
      exit 1
    fi
    echo "$name: $out matches the headers"
  else
    mkdir -p "$(dirname "$out")"
    cp "$new" "$out"
    echo "$name: wrote $out"
  fi
}
