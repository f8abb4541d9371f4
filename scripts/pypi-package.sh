# Shared by the table generators: pypi_package NAME VERSION
# Installs the pinned PyPI package NAME==VERSION (without dependencies) into
# .build/pypi/NAME-VERSION once, and prints that folder for PYTHONPATH.
# cordon itself never needs it: only the scripts that write committed tables.
pypi_package() {
  local name=$1 version=$2
  local dir="$root/.build/pypi/$name-$version"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    if ! python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$dir" "$name==$version" >&2; then
      echo "pypi-package: could not install $name==$version from PyPI (needed by this generator only)" >&2
      return 1
    fi
    touch "$dir/.complete"
  fi
  echo "$dir"
}
