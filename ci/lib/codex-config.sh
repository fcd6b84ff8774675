# Sourced by ci/ scripts. Writes a codex config.toml that points codex-cli at a runner emulator, kept offline:
#   codex_config FILE BASE_URL SUPPORTS_WEBSOCKETS(true|false) ENV_KEY
# Retries are off so an emulator fault is never hidden by a codex retry.
codex_config() {
  cat >"$1" <<TOML
model = "mock-model"
model_provider = "emulator"

[model_providers.emulator]
name = "runner emulator"
base_url = "$2/v1"
env_key = "$4"
wire_api = "responses"
supports_websockets = $3
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[features]
plugins = false
TOML
}
