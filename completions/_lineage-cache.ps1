
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lineage-cache' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lineage-cache'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'lineage-cache' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('warm', 'warm', [CompletionResultType]::ParameterValue, 'Fill the cache exactly as the API would')
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Drop (or re-warm) exactly the entries a lineage change made stale')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Audit every cached value against the source: current, stale, orphaned, unreadable')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Server health and a breakdown of the cache by key kind')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Build, parse, or map an API URL to cache keys')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Create the embedded demo lineage warehouse (SQLite), or load it into another database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;warm' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only keys of these kinds')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'These exact keys')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'A namespace id: its namespace entries and dataset list pages')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'A dataset, by id or name: every key about it in both forms')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there')
            [CompletionResult]::new('--touching', '--touching', [CompletionResultType]::ParameterName, 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'One key, API URL or DATASET/FIELD per line (`-` for stdin)')
            [CompletionResult]::new('--expiring-within', '--expiring-within', [CompletionResultType]::ParameterName, 'With --from-cache: only keys expiring within this duration (e.g. 10m)')
            [CompletionResult]::new('--hot', '--hot', [CompletionResultType]::ParameterName, 'Warm the N hottest columns')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'How to rank hot columns')
            [CompletionResult]::new('--directions', '--directions', [CompletionResultType]::ParameterName, 'Lineage directions to warm')
            [CompletionResult]::new('--depth', '--depth', [CompletionResultType]::ParameterName, 'Depth the lineage graphs are computed at (default: the API''s VALIDATION_DEFAULT_MAX_DEPTH)')
            [CompletionResult]::new('--page-sizes', '--page-sizes', [CompletionResultType]::ParameterName, 'Page sizes of dataset list pages to warm')
            [CompletionResult]::new('--key-form', '--key-form', [CompletionResultType]::ParameterName, 'Which requests the dataset and lineage keys serve: `name`, the requests by name the API''s router answers; `id`, a router that decodes `%2F` (field lists too); `both`. Statistics and DDL are written under the dataset''s id whatever the form: the API reads them there after resolving the request''s dataset')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Parallel queries against the source (--per-key); in bulk mode, computing threads, at most one per core')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most this many keys per second')
            [CompletionResult]::new('--ttl-jitter', '--ttl-jitter', [CompletionResultType]::ParameterName, 'TTL jitter, percent (each key gets its class TTL minus up to this much)')
            [CompletionResult]::new('--min-ttl', '--min-ttl', [CompletionResultType]::ParameterName, 'Skip keys whose remaining TTL is above this (e.g. 5m)')
            [CompletionResult]::new('--max-bytes', '--max-bytes', [CompletionResultType]::ParameterName, 'Stop after writing this many bytes (e.g. 512MB)')
            [CompletionResult]::new('--wait-lock', '--wait-lock', [CompletionResultType]::ParameterName, 'Wait this long for another warm''s lock instead of exiting (e.g. 5m)')
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'Write a Prometheus text file (atomically) for node_exporter''s textfile collector')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every key of the contract''s prefix (nothing else)')
            [CompletionResult]::new('--from-cache', '--from-cache', [CompletionResultType]::ParameterName, 'Re-warm exactly the keys cached now')
            [CompletionResult]::new('--per-key', '--per-key', [CompletionResultType]::ParameterName, 'Run the API''s own queries per key instead of the bulk engine')
            [CompletionResult]::new('--only-missing', '--only-missing', [CompletionResultType]::ParameterName, 'Skip keys that already exist')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Do everything but write; say what would be written')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first failing item')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;invalidate' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only keys of these kinds')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'These exact keys')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'A namespace id: its namespace entries and dataset list pages')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'A dataset, by id or name: every key about it in both forms')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there')
            [CompletionResult]::new('--touching', '--touching', [CompletionResultType]::ParameterName, 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'One key, API URL or DATASET/FIELD per line (`-` for stdin)')
            [CompletionResult]::new('--pages', '--pages', [CompletionResultType]::ParameterName, 'How `--dataset` finds its list and search pages, which no source records: `lookup` every page the API can have cached, one narrow `scan` of the cache, or `auto`: the one that costs the server less')
            [CompletionResult]::new('--page-sizes', '--page-sizes', [CompletionResultType]::ParameterName, 'Only the dataset list and search pages of these limits (the page sizes your clients ask for, e.g. `20,100`); pages of other limits are left alone. Default: every limit the API accepts (1..500)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most this many keys deleted per second')
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'Write a Prometheus text file (atomically)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every key of the contract''s prefix (nothing else)')
            [CompletionResult]::new('--rewarm', '--rewarm', [CompletionResultType]::ParameterName, 'Recompute and overwrite each selected key in place instead of deleting it')
            [CompletionResult]::new('--delete-both', '--delete-both', [CompletionResultType]::ParameterName, 'Delete the `both` lineage graphs a dataset, column, namespace or time selection finds, instead of rewriting them with today''s value (the API cannot write a `both` graph: a deleted one stays missing until the next warm)')
            [CompletionResult]::new('--scan', '--scan', [CompletionResultType]::ParameterName, 'Find the keys by scanning the whole cache (for --touching, reading every cached graph) instead of computing them from the lineage: for a cache written by something whose keys cannot be predicted, or a source that deleted lineage rows when no lineage snapshot was saved')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be deleted; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal for broad deletes)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal for broad deletes)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;sync' {
            [CompletionResult]::new('--settle', '--settle', [CompletionResultType]::ParameterName, 'After the first pass, wait this long for requests that read the half-written tables to write their answers, then clean those too (e.g. 90s). Default: the API''s longest request (docs/sync.md)')
            [CompletionResult]::new('--started-at', '--started-at', [CompletionResultType]::ParameterName, 'The populate run already happened elsewhere, starting at TIME (RFC 3339 or `YYYY-MM-DD HH:MM:SS`, UTC): clean up after it without running a command')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'How keyspace events are used to see what the API writes during the run: `auto` (when the server allows them), `on` (fail when it does not), `off` (find them by age)')
            [CompletionResult]::new('--pages', '--pages', [CompletionResultType]::ParameterName, 'How stale list and search pages are found, as `invalidate --pages`')
            [CompletionResult]::new('--page-sizes', '--page-sizes', [CompletionResultType]::ParameterName, 'Only the list and search pages of these limits, as `invalidate --page-sizes`')
            [CompletionResult]::new('--wait-lock', '--wait-lock', [CompletionResultType]::ParameterName, 'Wait this long for another warm''s or sync''s lock instead of failing (e.g. 5m)')
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'Write a Prometheus text file (atomically)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--rewarm', '--rewarm', [CompletionResultType]::ParameterName, 'Rewrite each stale key with the value the API would write now instead of deleting it (keys the API would no longer cache are deleted)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be deleted or rewritten; change nothing in the cache and keep the snapshot (the command still runs)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before cleaning on a terminal (sync never asks without one)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before cleaning on a terminal (sync never asks without one)')
            [CompletionResult]::new('--delete-both', '--delete-both', [CompletionResultType]::ParameterName, 'Delete stale `both` graphs instead of rewriting them. The API cannot write a `both` graph (its query fails), so a deleted one stays missing until the next warm')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;verify' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only keys of these kinds')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'These exact keys')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'A namespace id: its namespace entries and dataset list pages')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'A dataset, by id or name: every key about it in both forms')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there')
            [CompletionResult]::new('--touching', '--touching', [CompletionResultType]::ParameterName, 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'One key, API URL or DATASET/FIELD per line (`-` for stdin)')
            [CompletionResult]::new('--hot', '--hot', [CompletionResultType]::ParameterName, 'How many hot columns `--missing` looks at (as `warm --hot N`)')
            [CompletionResult]::new('--depth', '--depth', [CompletionResultType]::ParameterName, 'Compare lineage graphs at this depth only (default: any depth the API accepts, the default depth first)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many drifted keys listed in the table and JSON reports (counts are always complete; ndjson lists every one)')
            [CompletionResult]::new('--wait-lock', '--wait-lock', [CompletionResultType]::ParameterName, 'With --fix: wait this long for another warm''s lock (e.g. 30s) instead of failing')
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'Write a Prometheus text file (atomically), for the node exporter''s textfile collector')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every key of the contract''s prefix (nothing else)')
            [CompletionResult]::new('--missing', '--missing', [CompletionResultType]::ParameterName, 'Also list the hot keys (`--hot N` columns, by fan-out) that are not cached at all')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Show the full difference of each stale value, not just a summary')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Re-warm stale, unreadable and non-canonical values in place and delete orphaned keys')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --fix: report what would be written and deleted; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --fix: do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --fix: do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;inspect' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only keys of these kinds')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'These exact keys')
            [CompletionResult]::new('--pattern', '--pattern', [CompletionResultType]::ParameterName, 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'A namespace id: its namespace entries and dataset list pages')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'A dataset, by id or name: every key about it in both forms')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there')
            [CompletionResult]::new('--touching', '--touching', [CompletionResultType]::ParameterName, 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)')
            [CompletionResult]::new('--keys-file', '--keys-file', [CompletionResultType]::ParameterName, 'One key, API URL or DATASET/FIELD per line (`-` for stdin)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort rows by')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many rows')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every key of the contract''s prefix (nothing else)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the stored value as it is, not pretty-printed')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;stats' {
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Estimate from a sample of N keys instead of a full scan')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every INTERVAL (e.g. 5s) until interrupted')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;key' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the key of one kind from its parameters (the API''s defaults fill the rest)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind')
            [CompletionResult]::new('from-url', 'from-url', [CompletionResultType]::ParameterValue, 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;key;build' {
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace id (namespace-get, dataset-list)')
            [CompletionResult]::new('--dataset', '--dataset', [CompletionResultType]::ParameterName, 'Dataset id (`{namespace_id}/{db}.{table}`) or name (`{db}.{table}`)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Field (column) name (lineage-graph)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Lineage direction (default: both)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Page size (dataset-list, dataset-search; default 100)')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Page offset (dataset-list; default 0)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Search text `q` (dataset-search); trimmed and upper-cased as the API does')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Search text `q` (dataset-search); trimmed and upper-cased as the API does')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;key;parse' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;key;from-url' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;key;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the key of one kind from its parameters (the API''s defaults fill the rest)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind')
            [CompletionResult]::new('from-url', 'from-url', [CompletionResultType]::ParameterValue, 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;key;help;build' {
            break
        }
        'lineage-cache;key;help;parse' {
            break
        }
        'lineage-cache;key;help;from-url' {
            break
        }
        'lineage-cache;key;help;help' {
            break
        }
        'lineage-cache;demo' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;demo;create' {
            [CompletionResult]::new('--scale', '--scale', [CompletionResultType]::ParameterName, 'Generate a synthetic warehouse of about N columns instead of the demo')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the synthetic generator')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file if it exists')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;demo;sql' {
            [CompletionResult]::new('--dialect', '--dialect', [CompletionResultType]::ParameterName, 'SQL dialect to print')
            [CompletionResult]::new('--scale', '--scale', [CompletionResultType]::ParameterName, 'Generate a synthetic warehouse of about N columns instead of the demo')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for the synthetic generator')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)')
            [CompletionResult]::new('--tls-ca-file', '--tls-ca-file', [CompletionResultType]::ParameterName, 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR')
            [CompletionResult]::new('--tls-cert-file', '--tls-cert-file', [CompletionResultType]::ParameterName, 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE')
            [CompletionResult]::new('--tls-key-file', '--tls-key-file', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for Redis to connect or answer before giving up')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read this file instead of looking for `.env` in the working directory and its parent')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Treat Redis as a cluster (detected from the server when not given)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'lineage-cache;demo;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;demo;help;create' {
            break
        }
        'lineage-cache;demo;help;sql' {
            break
        }
        'lineage-cache;demo;help;help' {
            break
        }
        'lineage-cache;help' {
            [CompletionResult]::new('warm', 'warm', [CompletionResultType]::ParameterValue, 'Fill the cache exactly as the API would')
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Drop (or re-warm) exactly the entries a lineage change made stale')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Audit every cached value against the source: current, stale, orphaned, unreadable')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Server health and a breakdown of the cache by key kind')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Build, parse, or map an API URL to cache keys')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Create the embedded demo lineage warehouse (SQLite), or load it into another database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lineage-cache;help;warm' {
            break
        }
        'lineage-cache;help;invalidate' {
            break
        }
        'lineage-cache;help;sync' {
            break
        }
        'lineage-cache;help;verify' {
            break
        }
        'lineage-cache;help;inspect' {
            break
        }
        'lineage-cache;help;stats' {
            break
        }
        'lineage-cache;help;key' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the key of one kind from its parameters (the API''s defaults fill the rest)')
            [CompletionResult]::new('parse', 'parse', [CompletionResultType]::ParameterValue, 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind')
            [CompletionResult]::new('from-url', 'from-url', [CompletionResultType]::ParameterValue, 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads')
            break
        }
        'lineage-cache;help;key;build' {
            break
        }
        'lineage-cache;help;key;parse' {
            break
        }
        'lineage-cache;help;key;from-url' {
            break
        }
        'lineage-cache;help;demo' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file')
            [CompletionResult]::new('sql', 'sql', [CompletionResultType]::ParameterValue, 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)')
            break
        }
        'lineage-cache;help;demo;create' {
            break
        }
        'lineage-cache;help;demo;sql' {
            break
        }
        'lineage-cache;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
