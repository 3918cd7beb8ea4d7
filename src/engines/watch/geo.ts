import maxmind, { type CityResponse, type Reader } from 'maxmind';
import { ToolError, describeError } from '../../core/errors.js';
import type { AuthEvent } from './event.js';

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Fills in location from a MaxMind-format (GeoLite2/GeoIP2 City or Country) database, when the log gave none. */
export class GeoLookup {
  private constructor(private readonly reader: Reader<CityResponse>) {}

  static async open(file: string): Promise<GeoLookup> {
    try {
      return new GeoLookup(await maxmind.open<CityResponse>(file, { watchForUpdates: false }));
    } catch (error) {
      throw new ToolError(`cannot open GeoIP database ${file}: ${describeError(error)}`);
    }
  }

  enrich(event: AuthEvent): void {
    if ((event.lat !== undefined && event.country !== undefined) || !maxmind.validate(event.ip)) return;
    let found: CityResponse | null;
    try {
      found = this.reader.get(event.ip);
    } catch {
      return; // an IPv6 address in an IPv4-only database
    }
    if (!found) return;
    const { latitude, longitude } = found.location ?? {};
    if (event.lat === undefined && latitude !== undefined && longitude !== undefined) {
      event.lat = latitude;
      event.lon = longitude;
    }
    const country = found.country?.iso_code;
    if (event.country === undefined && country) event.country = country;
  }
}
