# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lineage_cache_global_optspecs
    string join \n redis-url= source= cluster tls-ca-file= tls-cert-file= tls-key-file= tls-server-name= timeout= color= v/verbose env-file= h/help V/version
end

function __fish_lineage_cache_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lineage_cache_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lineage_cache_using_subcommand
    set -l cmd (__fish_lineage_cache_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "warm" -d 'Fill the cache exactly as the API would'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "invalidate" -d 'Drop (or re-warm) exactly the entries a lineage change made stale'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "sync" -d 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "verify" -d 'Audit every cached value against the source: current, stale, orphaned, unreadable'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "inspect" -d 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "stats" -d 'Server health and a breakdown of the cache by key kind'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "key" -d 'Build, parse, or map an API URL to cache keys'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "demo" -d 'Create the embedded demo lineage warehouse (SQLite), or load it into another database'
complete -c lineage-cache -n "__fish_lineage_cache_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l kind -d 'Only keys of these kinds' -r -f -a "namespace-list\t'ol:namespace:list'
namespace-get\t'ol:namespace:get:{namespaceId}'
dataset-list\t'ol:dataset:list:{namespaceId}|{limit}|{offset}'
dataset-search\t'ol:dataset:search:{QUERY}|{limit}'
dataset-get\t'ol:dataset:get:{datasetId}'
field-list\t'ol:field:list:{datasetId}'
dataset-statistics\t'ol:dataset:statistics:{datasetId}'
dataset-ddl\t'ol:dataset:ddl:{datasetId}'
lineage-graph\t'ol:lineage:graph:{datasetId}|{fieldName}|{direction}'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l key -d 'These exact keys' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l pattern -d 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l namespace -d 'A namespace id: its namespace entries and dataset list pages' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l dataset -d 'A dataset, by id or name: every key about it in both forms' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l field -d 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l touching -d 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l changed-since -d 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l keys-file -d 'One key, API URL or DATASET/FIELD per line (`-` for stdin)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l expiring-within -d 'With --from-cache: only keys expiring within this duration (e.g. 10m)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l hot -d 'Warm the N hottest columns' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l by -d 'How to rank hot columns' -r -f -a "fanout\t'Most edges in the lineage graph'
cache\t'Redis\'s own access data (OBJECT FREQ or OBJECT IDLETIME)'
dbql\t'Teradata\'s query log (Teradata sources only)'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l directions -d 'Lineage directions to warm' -r -f -a "upstream\t''
downstream\t''
both\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l depth -d 'Depth the lineage graphs are computed at (default: the API\'s VALIDATION_DEFAULT_MAX_DEPTH)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l page-sizes -d 'Page sizes of dataset list pages to warm' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l key-form -d 'Which requests the dataset and lineage keys serve: `name`, the requests by name the API\'s router answers; `id`, a router that decodes `%2F` (field lists too); `both`. Statistics and DDL are written under the dataset\'s id whatever the form: the API reads them there after resolving the request\'s dataset' -r -f -a "id\t'`{namespace_id}/{database}.{table}`: read only behind a router that decodes `%2F`'
name\t'`{database}.{table}`: the form the API serves (statistics and DDL by id)'
both\t'Both forms'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l concurrency -d 'Parallel queries against the source (--per-key); in bulk mode, computing threads, at most one per core' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l rate -d 'At most this many keys per second' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l ttl-jitter -d 'TTL jitter, percent (each key gets its class TTL minus up to this much)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l min-ttl -d 'Skip keys whose remaining TTL is above this (e.g. 5m)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l max-bytes -d 'Stop after writing this many bytes (e.g. 512MB)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l wait-lock -d 'Wait this long for another warm\'s lock instead of exiting (e.g. 5m)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l metrics-file -d 'Write a Prometheus text file (atomically) for node_exporter\'s textfile collector' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l all -d 'Every key of the contract\'s prefix (nothing else)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l from-cache -d 'Re-warm exactly the keys cached now'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l per-key -d 'Run the API\'s own queries per key instead of the bulk engine'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l only-missing -d 'Skip keys that already exist'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l dry-run -d 'Do everything but write; say what would be written'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l fail-fast -d 'Stop at the first failing item'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand warm" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l kind -d 'Only keys of these kinds' -r -f -a "namespace-list\t'ol:namespace:list'
namespace-get\t'ol:namespace:get:{namespaceId}'
dataset-list\t'ol:dataset:list:{namespaceId}|{limit}|{offset}'
dataset-search\t'ol:dataset:search:{QUERY}|{limit}'
dataset-get\t'ol:dataset:get:{datasetId}'
field-list\t'ol:field:list:{datasetId}'
dataset-statistics\t'ol:dataset:statistics:{datasetId}'
dataset-ddl\t'ol:dataset:ddl:{datasetId}'
lineage-graph\t'ol:lineage:graph:{datasetId}|{fieldName}|{direction}'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l key -d 'These exact keys' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l pattern -d 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l namespace -d 'A namespace id: its namespace entries and dataset list pages' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l dataset -d 'A dataset, by id or name: every key about it in both forms' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l field -d 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l touching -d 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l changed-since -d 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l keys-file -d 'One key, API URL or DATASET/FIELD per line (`-` for stdin)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l pages -d 'How `--dataset` finds its list and search pages, which no source records: `lookup` every page the API can have cached, one narrow `scan` of the cache, or `auto`: the one that costs the server less' -r -f -a "auto\t''
lookup\t''
scan\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l page-sizes -d 'Only the dataset list and search pages of these limits (the page sizes your clients ask for, e.g. `20,100`); pages of other limits are left alone. Default: every limit the API accepts (1..500)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l rate -d 'At most this many keys deleted per second' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l metrics-file -d 'Write a Prometheus text file (atomically)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l all -d 'Every key of the contract\'s prefix (nothing else)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l rewarm -d 'Recompute and overwrite each selected key in place instead of deleting it'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l delete-both -d 'Delete the `both` lineage graphs a dataset, column, namespace or time selection finds, instead of rewriting them with today\'s value (the API cannot write a `both` graph: a deleted one stays missing until the next warm)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l scan -d 'Find the keys by scanning the whole cache (for --touching, reading every cached graph) instead of computing them from the lineage: for a cache written by something whose keys cannot be predicted, or a source that deleted lineage rows when no lineage snapshot was saved'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l dry-run -d 'Report what would be deleted; delete nothing'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -s y -l yes -d 'Do not ask for confirmation (required without a terminal for broad deletes)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand invalidate" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l settle -d 'After the first pass, wait this long for requests that read the half-written tables to write their answers, then clean those too (e.g. 90s). Default: the API\'s longest request (docs/sync.md)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l started-at -d 'The populate run already happened elsewhere, starting at TIME (RFC 3339 or `YYYY-MM-DD HH:MM:SS`, UTC): clean up after it without running a command' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l watch -d 'How keyspace events are used to see what the API writes during the run: `auto` (when the server allows them), `on` (fail when it does not), `off` (find them by age)' -r -f -a "auto\t''
on\t''
off\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l pages -d 'How stale list and search pages are found, as `invalidate --pages`' -r -f -a "auto\t''
lookup\t''
scan\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l page-sizes -d 'Only the list and search pages of these limits, as `invalidate --page-sizes`' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l wait-lock -d 'Wait this long for another warm\'s or sync\'s lock instead of failing (e.g. 5m)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l metrics-file -d 'Write a Prometheus text file (atomically)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l rewarm -d 'Rewrite each stale key with the value the API would write now instead of deleting it (keys the API would no longer cache are deleted)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l dry-run -d 'Report what would be deleted or rewritten; change nothing in the cache and keep the snapshot (the command still runs)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -s y -l yes -d 'Do not ask before cleaning on a terminal (sync never asks without one)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l delete-both -d 'Delete stale `both` graphs instead of rewriting them. The API cannot write a `both` graph (its query fails), so a deleted one stays missing until the next warm'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand sync" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l kind -d 'Only keys of these kinds' -r -f -a "namespace-list\t'ol:namespace:list'
namespace-get\t'ol:namespace:get:{namespaceId}'
dataset-list\t'ol:dataset:list:{namespaceId}|{limit}|{offset}'
dataset-search\t'ol:dataset:search:{QUERY}|{limit}'
dataset-get\t'ol:dataset:get:{datasetId}'
field-list\t'ol:field:list:{datasetId}'
dataset-statistics\t'ol:dataset:statistics:{datasetId}'
dataset-ddl\t'ol:dataset:ddl:{datasetId}'
lineage-graph\t'ol:lineage:graph:{datasetId}|{fieldName}|{direction}'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l key -d 'These exact keys' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l pattern -d 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l namespace -d 'A namespace id: its namespace entries and dataset list pages' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l dataset -d 'A dataset, by id or name: every key about it in both forms' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l field -d 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l touching -d 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l changed-since -d 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l keys-file -d 'One key, API URL or DATASET/FIELD per line (`-` for stdin)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l hot -d 'How many hot columns `--missing` looks at (as `warm --hot N`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l depth -d 'Compare lineage graphs at this depth only (default: any depth the API accepts, the default depth first)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l limit -d 'At most this many drifted keys listed in the table and JSON reports (counts are always complete; ndjson lists every one)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l wait-lock -d 'With --fix: wait this long for another warm\'s lock (e.g. 30s) instead of failing' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l metrics-file -d 'Write a Prometheus text file (atomically), for the node exporter\'s textfile collector' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l all -d 'Every key of the contract\'s prefix (nothing else)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l missing -d 'Also list the hot keys (`--hot N` columns, by fan-out) that are not cached at all'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l diff -d 'Show the full difference of each stale value, not just a summary'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l fix -d 'Re-warm stale, unreadable and non-canonical values in place and delete orphaned keys'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l dry-run -d 'With --fix: report what would be written and deleted; change nothing'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -s y -l yes -d 'With --fix: do not ask for confirmation (required without a terminal)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand verify" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l kind -d 'Only keys of these kinds' -r -f -a "namespace-list\t'ol:namespace:list'
namespace-get\t'ol:namespace:get:{namespaceId}'
dataset-list\t'ol:dataset:list:{namespaceId}|{limit}|{offset}'
dataset-search\t'ol:dataset:search:{QUERY}|{limit}'
dataset-get\t'ol:dataset:get:{datasetId}'
field-list\t'ol:field:list:{datasetId}'
dataset-statistics\t'ol:dataset:statistics:{datasetId}'
dataset-ddl\t'ol:dataset:ddl:{datasetId}'
lineage-graph\t'ol:lineage:graph:{datasetId}|{fieldName}|{direction}'"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l key -d 'These exact keys' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l pattern -d 'A Redis glob pattern; refused unless it stays inside the `ol:` prefix' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l namespace -d 'A namespace id: its namespace entries and dataset list pages' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l dataset -d 'A dataset, by id or name: every key about it in both forms' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l field -d 'A column as DATASET/FIELD (the last `/` splits): lineage graphs seeded there' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l touching -d 'Cached lineage graphs whose value contains a node of this dataset or DATASET/FIELD' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l changed-since -d 'Datasets the source says changed since this time (RFC 3339 or `YYYY-MM-DD HH:MM:SS`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l keys-file -d 'One key, API URL or DATASET/FIELD per line (`-` for stdin)' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l sort -d 'Sort rows by' -r -f -a "key\t''
size\t''
ttl\t''
idle\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l limit -d 'At most this many rows' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l all -d 'Every key of the contract\'s prefix (nothing else)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l raw -d 'Print the stored value as it is, not pretty-printed'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l sample -d 'Estimate from a sample of N keys instead of a full scan' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l watch -d 'Refresh every INTERVAL (e.g. 5s) until interrupted' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand stats" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -f -a "build" -d 'Build the key of one kind from its parameters (the API\'s defaults fill the rest)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -f -a "parse" -d 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -f -a "from-url" -d 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and not __fish_seen_subcommand_from build parse from-url help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l namespace -d 'Namespace id (namespace-get, dataset-list)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l dataset -d 'Dataset id (`{namespace_id}/{db}.{table}`) or name (`{db}.{table}`)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l field -d 'Field (column) name (lineage-graph)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l direction -d 'Lineage direction (default: both)' -r -f -a "upstream\t''
downstream\t''
both\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l limit -d 'Page size (dataset-list, dataset-search; default 100)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l offset -d 'Page offset (dataset-list; default 0)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -s q -l query -d 'Search text `q` (dataset-search); trimmed and upper-cased as the API does' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from parse" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l format -d 'Output format' -r -f -a "table\t''
json\t''
ndjson\t''
prometheus\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from from-url" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build the key of one kind from its parameters (the API\'s defaults fill the rest)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "parse" -d 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "from-url" -d 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -f -a "create" -d 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -f -a "sql" -d 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and not __fish_seen_subcommand_from create sql help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l scale -d 'Generate a synthetic warehouse of about N columns instead of the demo' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l seed -d 'Seed for the synthetic generator' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l force -d 'Replace the file if it exists'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l dialect -d 'SQL dialect to print' -r -f -a "postgres\t''
sqlite\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l scale -d 'Generate a synthetic warehouse of about N columns instead of the demo' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l seed -d 'Seed for the synthetic generator' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l redis-url -d 'Redis URL (redis:// or rediss://, optional user and password, /DB); overrides REDIS_ADDR, REDIS_PASSWORD and REDIS_DB. Prefer the environment for passwords' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l source -d 'Lineage source: `sqlite:PATH` (embedded), `odbc:CONNECTION-STRING`, or `teradata` (ODBC built from the TERADATA_* settings)' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l tls-ca-file -d 'PEM file of the CA(s) that signed the Redis server\'s certificate (TLS); without it the system trust store is used. Also REDIS_TLS_CA_FILE. Turns TLS on for REDIS_ADDR' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l tls-cert-file -d 'PEM client certificate for servers that require one (`tls-auth-clients yes`); needs --tls-key-file. Also REDIS_TLS_CERT_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l tls-key-file -d 'PEM private key of --tls-cert-file. Also REDIS_TLS_KEY_FILE' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l tls-server-name -d 'Name the server\'s certificate must carry, when connecting by IP address or by a name the certificate does not list. Also REDIS_TLS_SERVER_NAME' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l timeout -d 'Seconds to wait for Redis to connect or answer before giving up' -r
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l env-file -d 'Read this file instead of looking for `.env` in the working directory and its parent' -r -F
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -l cluster -d 'Treat Redis as a cluster (detected from the server when not given)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); LINEAGE_CACHE_LOG also works'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -s h -l help -d 'Print help'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from sql" -s V -l version -d 'Print version'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from help" -f -a "create" -d 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from help" -f -a "sql" -d 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand demo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "warm" -d 'Fill the cache exactly as the API would'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "invalidate" -d 'Drop (or re-warm) exactly the entries a lineage change made stale'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "sync" -d 'Run the populate command, then leave the cache true: drop or rewrite what the change made stale and what the API cached from the half-written tables'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "verify" -d 'Audit every cached value against the source: current, stale, orphaned, unreadable'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "inspect" -d 'Show cached keys: TTL, size, idle time, a summary of the value; or one key in full'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "stats" -d 'Server health and a breakdown of the cache by key kind'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "key" -d 'Build, parse, or map an API URL to cache keys'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "demo" -d 'Create the embedded demo lineage warehouse (SQLite), or load it into another database'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and not __fish_seen_subcommand_from warm invalidate sync verify inspect stats key demo help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "build" -d 'Build the key of one kind from its parameters (the API\'s defaults fill the rest)'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "parse" -d 'Parse keys: kind, parameters, TTL class; says when a key is ambiguous or of no kind'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "from-url" -d 'Map an API request (URL or path, percent-encoded, with its query) to the key(s) it reads'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and __fish_seen_subcommand_from demo" -f -a "create" -d 'Write the demo warehouse (or a synthetic one with --scale) to a new SQLite file'
complete -c lineage-cache -n "__fish_lineage_cache_using_subcommand help; and __fish_seen_subcommand_from demo" -f -a "sql" -d 'Print the demo warehouse as SQL for another database (e.g. PostgreSQL)'
