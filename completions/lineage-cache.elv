
use builtin;
use str;

set edit:completion:arg-completer[lineage-cache] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lineage-cache'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lineage-cache'= {
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand warm 'Fill the cache exactly as the API would'
            cand invalidate 'Drop (or re-warm) exactly the entries a lineage change made stale'
            cand sync 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables'
            cand verify 'Audit every cached value against the source: current, stale, orphaned, unreadable'
            cand inspect 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full'
            cand stats 'Server health and a breakdown of the cache by key kind'
            cand key 'Build, parse, or map an API URL to cache keys'
            cand demo 'Create the embedded demo lineage warehouse (SQLite), or load it into another database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;warm'= {
            cand --kind 'Only keys of these kinds'
            cand --key 'These exact keys'
            cand --pattern 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix'
            cand --namespace 'A namespace id: its namespace entries and dataset list pages'
            cand --dataset 'A dataset, by id or name: every key about it in both forms'
            cand --field 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there'
            cand --touching 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD'
            cand --changed-since 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)'
            cand --keys-file 'One key, API URL or DATASET/FIELD per line (`-` for stdin)'
            cand --expiring-within 'With --from-cache: only keys expiring within this duration (e.g. 10m)'
            cand --hot 'Warm the N hottest columns'
            cand --by 'How to rank hot columns'
            cand --directions 'Lineage directions to warm'
            cand --depth 'Depth the lineage graphs are computed at (default: the API''s VALIDATION_DEFAULT_MAX_DEPTH)'
            cand --page-sizes 'Page sizes of dataset list pages to warm'
            cand --key-form 'Which requests the dataset and lineage keys serve: `name`, the requests by name the API''s router answers; `id`, a router that decodes `%2F` (field lists too); `both`. Statistics and DDL are written under the dataset''s id whatever the form: the API reads them there after resolving the request''s dataset'
            cand --concurrency 'Parallel queries against the source (--per-key); in bulk mode, computing threads, at most one per core'
            cand --rate 'At most this many keys per second'
            cand --ttl-jitter 'TTL jitter, percent (each key gets its class TTL minus up to this much)'
            cand --min-ttl 'Skip keys whose remaining TTL is above this (e.g. 5m)'
            cand --max-bytes 'Stop after writing this many bytes (e.g. 512MB)'
            cand --wait-lock 'Wait this long for another warm''s lock instead of exiting (e.g. 5m)'
            cand --metrics-file 'Write a Prometheus text file (atomically) for node_exporter''s textfile collector'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --all 'Every key of the contract''s prefix (nothing else)'
            cand --from-cache 'Re-warm exactly the keys cached now'
            cand --per-key 'Run the API''s own queries per key instead of the bulk engine'
            cand --only-missing 'Skip keys that already exist'
            cand --dry-run 'Do everything but write; say what would be written'
            cand --fail-fast 'Stop at the first failing item'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;invalidate'= {
            cand --kind 'Only keys of these kinds'
            cand --key 'These exact keys'
            cand --pattern 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix'
            cand --namespace 'A namespace id: its namespace entries and dataset list pages'
            cand --dataset 'A dataset, by id or name: every key about it in both forms'
            cand --field 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there'
            cand --touching 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD'
            cand --changed-since 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)'
            cand --keys-file 'One key, API URL or DATASET/FIELD per line (`-` for stdin)'
            cand --pages 'How `--dataset` finds its list and search pages, which no source records: `lookup` every page the API can have cached, one narrow `scan` of the cache, or `auto`: the one that costs the server less'
            cand --page-sizes 'Only the dataset list and search pages of these limits (the page sizes your clients ask for, e.g. `20,100`); pages of other limits are left alone. Default: every limit the API accepts (1..500)'
            cand --rate 'At most this many keys deleted per second'
            cand --metrics-file 'Write a Prometheus text file (atomically)'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --all 'Every key of the contract''s prefix (nothing else)'
            cand --rewarm 'Recompute and overwrite each selected key in place instead of deleting it'
            cand --delete-both 'Delete the `both` lineage graphs a dataset, column, namespace or time selection finds, instead of rewriting them with today''s value (the API cannot write a `both` graph: a deleted one stays missing until the next warm)'
            cand --scan 'Find the keys by scanning the whole cache (for --touching, reading every cached graph) instead of computing them from the lineage: for a cache written by something whose keys cannot be predicted, or a source that deleted lineage rows when no lineage snapshot was saved'
            cand --dry-run 'Report what would be deleted; delete nothing'
            cand -y 'Do not ask for confirmation (required without a terminal for broad deletes)'
            cand --yes 'Do not ask for confirmation (required without a terminal for broad deletes)'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;sync'= {
            cand --settle 'After the first pass, wait this long for requests that read the half-written tables to write their answers, then clean those too (e.g. 90s). Default: the API''s longest request (docs/sync.md)'
            cand --started-at 'The populate run already happened elsewhere, starting at TIME (RFC 3339 or `YYYY-MM-DD HH:MM:SS`, UTC): clean up after it without running a command'
            cand --watch 'How keyspace events are used to see what the API writes during the run: `auto` (when the server allows them), `on` (fail when it does not), `off` (find them by age)'
            cand --pages 'How stale list and search pages are found, as `invalidate --pages`'
            cand --page-sizes 'Only the list and search pages of these limits, as `invalidate --page-sizes`'
            cand --wait-lock 'Wait this long for another warm''s or sync''s lock instead of failing (e.g. 5m)'
            cand --metrics-file 'Write a Prometheus text file (atomically)'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --rewarm 'Rewrite each stale key with the value the API would write now instead of deleting it (keys the API would no longer cache are deleted)'
            cand --dry-run 'Report what would be deleted or rewritten; change nothing in the cache and keep the snapshot (the command still runs)'
            cand -y 'Do not ask before cleaning on a terminal (sync never asks without one)'
            cand --yes 'Do not ask before cleaning on a terminal (sync never asks without one)'
            cand --delete-both 'Delete stale `both` graphs instead of rewriting them. The API cannot write a `both` graph (its query fails), so a deleted one stays missing until the next warm'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;verify'= {
            cand --kind 'Only keys of these kinds'
            cand --key 'These exact keys'
            cand --pattern 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix'
            cand --namespace 'A namespace id: its namespace entries and dataset list pages'
            cand --dataset 'A dataset, by id or name: every key about it in both forms'
            cand --field 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there'
            cand --touching 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD'
            cand --changed-since 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)'
            cand --keys-file 'One key, API URL or DATASET/FIELD per line (`-` for stdin)'
            cand --hot 'How many hot columns `--missing` looks at (as `warm --hot N`)'
            cand --depth 'Compare lineage graphs at this depth only (default: any depth the API accepts, the default depth first)'
            cand --limit 'At most this many drifted keys listed in the table and JSON reports (counts are always complete; ndjson lists every one)'
            cand --wait-lock 'With --fix: wait this long for another warm''s lock (e.g. 30s) instead of failing'
            cand --metrics-file 'Write a Prometheus text file (atomically), for the node exporter''s textfile collector'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --all 'Every key of the contract''s prefix (nothing else)'
            cand --missing 'Also list the hot keys (`--hot N` columns, by fan-out) that are not cached at all'
            cand --diff 'Show the full difference of each stale value, not just a summary'
            cand --fix 'Re-warm stale, unreadable and non-canonical values in place and delete orphaned keys'
            cand --dry-run 'With --fix: report what would be written and deleted; change nothing'
            cand -y 'With --fix: do not ask for confirmation (required without a terminal)'
            cand --yes 'With --fix: do not ask for confirmation (required without a terminal)'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;inspect'= {
            cand --kind 'Only keys of these kinds'
            cand --key 'These exact keys'
            cand --pattern 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix'
            cand --namespace 'A namespace id: its namespace entries and dataset list pages'
            cand --dataset 'A dataset, by id or name: every key about it in both forms'
            cand --field 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there'
            cand --touching 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD'
            cand --changed-since 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)'
            cand --keys-file 'One key, API URL or DATASET/FIELD per line (`-` for stdin)'
            cand --sort 'Sort rows by'
            cand --limit 'At most this many rows'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --all 'Every key of the contract''s prefix (nothing else)'
            cand --raw 'Print the stored value as it is, not pretty-printed'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;stats'= {
            cand --sample 'Estimate from a sample of N keys instead of a full scan'
            cand --watch 'Refresh every INTERVAL (e.g. 5s) until interrupted'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;key'= {
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Build the key of one kind from its parameters (the API''s defaults fill the rest)'
            cand parse 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
            cand from-url 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;key;build'= {
            cand --namespace 'Namespace id (namespace-get, dataset-list)'
            cand --dataset 'Dataset id (`{namespace_id}/{db}.{table}`) or name (`{db}.{table}`)'
            cand --field 'Field (column) name (lineage-graph)'
            cand --direction 'Lineage direction (default: both)'
            cand --limit 'Page size (dataset-list, dataset-search; default 100)'
            cand --offset 'Page offset (dataset-list; default 0)'
            cand -q 'Search text `q` (dataset-search); trimmed and upper-cased as the API does'
            cand --query 'Search text `q` (dataset-search); trimmed and upper-cased as the API does'
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;key;parse'= {
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;key;from-url'= {
            cand --format 'Output format'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;key;help'= {
            cand build 'Build the key of one kind from its parameters (the API''s defaults fill the rest)'
            cand parse 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
            cand from-url 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;key;help;build'= {
        }
        &'lineage-cache;key;help;parse'= {
        }
        &'lineage-cache;key;help;from-url'= {
        }
        &'lineage-cache;key;help;help'= {
        }
        &'lineage-cache;demo'= {
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
            cand sql 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;demo;create'= {
            cand --scale 'Generate a synthetic warehouse of about N columns instead of the demo'
            cand --seed 'Seed for the synthetic generator'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --force 'Replace the file if it exists'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;demo;sql'= {
            cand --dialect 'SQL dialect to print'
            cand --scale 'Generate a synthetic warehouse of about N columns instead of the demo'
            cand --seed 'Seed for the synthetic generator'
            cand --redis-url 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords'
            cand --source 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)'
            cand --tls-ca-file 'PEM file of the CA(s) that signed the Redis server''s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR'
            cand --tls-cert-file 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE'
            cand --tls-key-file 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE'
            cand --tls-server-name 'Name the server''s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME'
            cand --timeout 'Seconds to wait for Redis to connect or answer before giving up'
            cand --color 'When to use colour'
            cand --env-file 'Read this file instead of looking for `.env` in the working directory and its parent'
            cand --cluster 'Treat Redis as a cluster (detected from the server when not given)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'lineage-cache;demo;help'= {
            cand create 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
            cand sql 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;demo;help;create'= {
        }
        &'lineage-cache;demo;help;sql'= {
        }
        &'lineage-cache;demo;help;help'= {
        }
        &'lineage-cache;help'= {
            cand warm 'Fill the cache exactly as the API would'
            cand invalidate 'Drop (or re-warm) exactly the entries a lineage change made stale'
            cand sync 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables'
            cand verify 'Audit every cached value against the source: current, stale, orphaned, unreadable'
            cand inspect 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full'
            cand stats 'Server health and a breakdown of the cache by key kind'
            cand key 'Build, parse, or map an API URL to cache keys'
            cand demo 'Create the embedded demo lineage warehouse (SQLite), or load it into another database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lineage-cache;help;warm'= {
        }
        &'lineage-cache;help;invalidate'= {
        }
        &'lineage-cache;help;sync'= {
        }
        &'lineage-cache;help;verify'= {
        }
        &'lineage-cache;help;inspect'= {
        }
        &'lineage-cache;help;stats'= {
        }
        &'lineage-cache;help;key'= {
            cand build 'Build the key of one kind from its parameters (the API''s defaults fill the rest)'
            cand parse 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
            cand from-url 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
        }
        &'lineage-cache;help;key;build'= {
        }
        &'lineage-cache;help;key;parse'= {
        }
        &'lineage-cache;help;key;from-url'= {
        }
        &'lineage-cache;help;demo'= {
            cand create 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
            cand sql 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
        }
        &'lineage-cache;help;demo;create'= {
        }
        &'lineage-cache;help;demo;sql'= {
        }
        &'lineage-cache;help;help'= {
        }
    ]
    $completions[$command]
}
