/**
 * Directives nginx refuses to see twice in one block ("\"root\" directive is duplicate"),
 * found in an include-expanded tree: an included snippet's directive and the including
 * block's own one are in the same block for nginx.
 */
import type { ParseProblem } from "../core/problems.js";
import type { NginxDirective } from "../parsers/nginx.js";

/**
 * Directives whose second occurrence in one block makes `nginx -t` fail with "is duplicate"
 * (each checked with nginx 1.22: their handlers are the ngx_conf_set_*_slot functions, or
 * custom ones, that refuse a value already set). Left out on purpose: directives that may
 * repeat (add_header, proxy_set_header, uwsgi_param, listen on other ports, server_name,
 * index, access_log, error_page, return, rewrite, allow/deny, set, include, ssl_certificate),
 * ones refused only for equal arguments (limit_req per zone, listen per address, log_format
 * per name, proxy_redirect off) and ones that only warn (ssl_protocols, gzip_types, proxy_next_upstream).
 */
export const NGINX_SINGLE_DIRECTIVES: ReadonlySet<string> = new Set([
  "absolute_redirect", "alias", "auth_basic", "auth_basic_user_file", "autoindex", "charset",
  "chunked_transfer_encoding", "client_body_buffer_size", "client_body_in_file_only", "client_body_temp_path",
  "client_body_timeout", "client_header_buffer_size", "client_header_timeout", "client_max_body_size",
  "default_type", "directio", "disable_symlinks", "etag", "expires", "fastcgi_pass", "gzip", "gzip_comp_level",
  "gzip_min_length", "gzip_static", "gzip_vary", "if_modified_since", "ignore_invalid_headers", "internal",
  "keepalive_timeout", "large_client_header_buffers", "limit_except", "limit_rate", "limit_rate_after",
  "lingering_close", "log_not_found", "log_subrequest", "map_hash_bucket_size", "max_ranges", "merge_slashes",
  "msie_padding", "open_file_cache", "open_file_cache_valid", "output_buffers", "port_in_redirect",
  "post_action", "postpone_output", "proxy_buffer_size", "proxy_buffering", "proxy_buffers",
  "proxy_busy_buffers_size", "proxy_cache", "proxy_cache_key", "proxy_connect_timeout",
  "proxy_headers_hash_max_size", "proxy_http_version", "proxy_intercept_errors", "proxy_pass",
  "proxy_read_timeout", "proxy_send_timeout", "proxy_set_body", "proxy_ssl_server_name", "proxy_temp_path",
  "real_ip_header", "real_ip_recursive", "recursive_error_pages", "reset_timedout_connection", "resolver",
  "root", "satisfy", "send_timeout", "sendfile", "sendfile_max_chunk", "server_name_in_redirect",
  "server_names_hash_bucket_size", "server_tokens", "ssi", "ssl_ciphers", "ssl_dhparam", "ssl_early_data",
  "ssl_prefer_server_ciphers", "ssl_session_tickets", "ssl_session_timeout", "ssl_stapling",
  "ssl_trusted_certificate", "tcp_nodelay", "tcp_nopush", "types_hash_max_size", "underscores_in_headers",
  "uwsgi_buffering", "uwsgi_connect_timeout", "uwsgi_ignore_client_abort", "uwsgi_modifier1",
  "uwsgi_pass", "uwsgi_pass_request_headers", "uwsgi_read_timeout", "uwsgi_send_timeout",
  "variables_hash_max_size",
]);

/**
 * Blocks whose body is a list of directives with one configuration each. Others (map, types,
 * geo, split_clients, upstream, ...) hold entries or their own directive sets and are not checked.
 */
const DIRECTIVE_BLOCKS = new Set(["http", "server", "location", "if", "limit_except"]);

/** `root` and `alias` set the same thing: either after the other is a duplicate too. */
function slotOf(name: string): string {
  return name === "alias" ? "root" : name;
}

/**
 * One problem per repeated directive, at its name, with nginx's own wording and where the
 * first one is. `directives` is an include-expanded file (its top level is one block).
 */
export function duplicateDirectiveProblems(directives: readonly NginxDirective[]): ParseProblem[] {
  const problems: ParseProblem[] = [];
  const seen = new Set<string>();
  const checkBlock = (list: readonly NginxDirective[]): void => {
    const first = new Map<string, NginxDirective>();
    for (const d of flattenIncludes(list)) {
      if (d.block && DIRECTIVE_BLOCKS.has(d.name)) checkBlock(d.block);
      if (!NGINX_SINGLE_DIRECTIVES.has(d.name)) continue;
      const slot = slotOf(d.name);
      const earlier = first.get(slot);
      if (!earlier) {
        first.set(slot, d);
        continue;
      }
      // A file included twice into one block: the "second" is the first itself; nothing to point at.
      if (sameRange(earlier, d)) continue;
      const refused = earlier.name === d.name ? `"${d.name}" directive is duplicate` : `"${d.name}" directive is duplicate, "${earlier.name}" directive was specified earlier`;
      const at = earlier.nameRange.file === d.nameRange.file ? `line ${earlier.nameRange.line}` : `${earlier.nameRange.file}:${earlier.nameRange.line}`;
      const message = `${refused} (first at ${at}): nginx -t refuses the configuration; keep one of them`;
      const r = d.nameRange;
      const key = `${r.file}:${r.line}:${r.column}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ range: d.nameRange, message });
    }
  };
  checkBlock(directives);
  return problems;
}

function sameRange(a: NginxDirective, b: NginxDirective): boolean {
  const x = a.nameRange;
  const y = b.nameRange;
  return x.file === y.file && x.line === y.line && x.column === y.column;
}

/** A block's directives with `include`s replaced by what they pulled in. */
function flattenIncludes(list: readonly NginxDirective[]): NginxDirective[] {
  const out: NginxDirective[] = [];
  for (const d of list) {
    if (d.name === "include" && d.included) for (const inc of d.included) out.push(...flattenIncludes(inc.directives));
    else out.push(d);
  }
  return out;
}
