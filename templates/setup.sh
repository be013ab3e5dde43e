# Default set-up lines for generated CI jobs: they only check that mlci is on PATH.
# Set ci.setup in mlci.yml to the lines that install mlci on your runners (see the README).
mlci --version
