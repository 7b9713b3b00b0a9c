/**
 * `window.__FLUXER_BOOTSTRAP__`, which the official Fluxer web app reads before anything else (its
 * own page server writes it inline; we serve it as a script file so the CSP needs no inline code):
 * the release channel, the API base it starts from, this instance's discovery document and a
 * geolocation answer (we locate nobody: all null, no restricted regions).
 */
import type { Config } from "../../config.ts";

type DiscoveryDocument = { endpoints: { api: string } } & Record<string, unknown>;

export function fluxerBootstrap(config: Config, discovery: DiscoveryDocument) {
  return {
    config: {
      releaseChannel: config.web.fluxer_release_channel,
      bootstrapApiEndpoint: discovery.endpoints.api,
      bootstrapApiPublicEndpoint: discovery.endpoints.api,
    },
    instance: discovery,
    geoip: { countryCode: null, regionCode: null, latitude: null, longitude: null, ageRestrictedGeos: [], ageBlockedGeos: [] },
  };
}

/** The script body; older builds read the flat `__FLUXER_CONFIG__` names instead. */
export function fluxerBootstrapScript(config: Config, discovery: DiscoveryDocument): string {
  const bootstrap = fluxerBootstrap(config, discovery);
  const legacy = {
    PUBLIC_RELEASE_CHANNEL: bootstrap.config.releaseChannel,
    PUBLIC_BOOTSTRAP_API_ENDPOINT: bootstrap.config.bootstrapApiEndpoint,
    PUBLIC_BOOTSTRAP_API_PUBLIC_ENDPOINT: bootstrap.config.bootstrapApiPublicEndpoint,
  };
  return `window.__FLUXER_BOOTSTRAP__ = ${JSON.stringify(bootstrap)};\nwindow.__FLUXER_CONFIG__ = ${JSON.stringify(legacy)};\n`;
}
