export interface OriginSettings {
  cdns: readonly string[];
  manifest: string | undefined;
  /** The site's origin, when known. */
  origin: string | undefined;
}

/**
 * What the worker fetches from another origin than the site's needs CORS (the worker reads the
 * bytes): one line per such origin, or none. Without a known site origin every absolute URL is
 * taken as another origin.
 */
export function crossOriginWarnings(settings: OriginSettings): string[] {
  const site = settings.origin !== undefined && URL.canParse(settings.origin) ? new URL(settings.origin).origin : undefined;
  // A URL that does not parse is left to the CLI, which names it; the plugin only warns.
  const other = (url: string) => {
    const origin = URL.canParse(url) ? new URL(url).origin : undefined;
    return origin !== site ? origin : undefined;
  };
  const warnings: string[] = [];
  const cdnOrigins = [...new Set(settings.cdns.map(other).filter((origin) => origin !== undefined))];
  if (cdnOrigins.length > 0) {
    warnings.push(
      `the worker fetches patches and full files from ${cdnOrigins.join(', ')}, ${site ? `not the site's origin ${site}` : 'another origin than the site (unless you pass the plugin origin: that origin)'}: ` +
        'each must answer with Access-Control-Allow-Origin for the site (CORS), or every asset falls back to the network',
    );
  }
  const manifestOrigin = settings.manifest !== undefined && /^https?:\/\//i.test(settings.manifest) ? other(settings.manifest) : undefined;
  if (manifestOrigin) warnings.push(`the worker reads the manifest from ${manifestOrigin}: it needs CORS there, and whoever serves it decides what code runs (docs/service-worker.md)`);
  return warnings;
}
