import { haversineKm } from '../geo.js';
import { formatDuration } from '../time.js';
import { SlotMap } from '../keys.js';
import { defineWatchRule } from './context.js';

interface Place {
  time: number;
  ip: string;
  lat?: number;
  lon?: number;
  country?: string;
}

export const impossibleTravel = defineWatchRule({
  id: 'watch.impossible-travel',
  title: 'Impossible travel: one user logging in from places too far apart',
  category: 'threat-detection',
  severity: 'high',
  confidence: 'medium',
  cwe: [287],
  owasp: ['API2:2023', 'A09:2021'],
  summary:
    'One username logged in successfully from two places further apart than anyone could travel in the time between (default: faster than 900 km/h over at least 500 km, or two countries within one hour when only countries are known): the credentials are likely in someone else\'s hands.',
  remediation: [
    'Confirm with the account owner, end the other sessions and rotate the password; step-up authentication on logins from a new country or an implausible location stops the second one.',
    '',
    '```python',
    'if speed_kmh(last_login(user), this_login) > 900:',
    '    require_second_factor(user)',
    '```',
  ].join('\n'),
  references: ['https://attack.mitre.org/techniques/T1078/', 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html'],
  check(ctx) {
    const { maxSpeedKmh, minDistanceKm, countryChangeWindow, window } = ctx.settings['impossible-travel'];
    const last = new SlotMap<Place>(ctx.keys.user);
    const alerts = ctx.alerts.forRule(impossibleTravel, (a) => {
      const d = a.details;
      const how = d['km'] !== undefined ? `${String(d['km'])} km apart (${String(d['kmh'])} km/h)` : `in ${String(d['from'])} then ${String(d['to'])}`;
      return `The username ${a.key} logged in from ${String(d['fromIp'])} and ${String(d['toIp'])}, ${how}, ${formatDuration(Math.max(1000, Math.round((a.lastSeen - a.firstSeen) / 1000) * 1000))} apart; ${a.metric} impossible hop(s) (limit: ${maxSpeedKmh} km/h over ${minDistanceKm} km, or a country change within ${formatDuration(countryChangeWindow)}).`;
    });

    /** Details of the hop when it is impossible, else undefined. */
    function impossible(from: Place, to: Place): Record<string, unknown> | undefined {
      const ms = Math.abs(to.time - from.time);
      if (ms > window) return undefined;
      if (from.lat !== undefined && from.lon !== undefined && to.lat !== undefined && to.lon !== undefined) {
        const km = haversineKm(from.lat, from.lon, to.lat, to.lon);
        const kmh = km / Math.max(ms / 3_600_000, 1 / 60);
        if (km < minDistanceKm || kmh <= maxSpeedKmh) return undefined;
        return { fromIp: from.ip, toIp: to.ip, km: Math.round(km), kmh: Math.round(kmh), from: from.country, to: to.country };
      }
      if (from.country && to.country && from.country !== to.country && ms <= countryChangeWindow) {
        return { fromIp: from.ip, toIp: to.ip, from: from.country, to: to.country };
      }
      return undefined;
    }

    return {
      onEvent(event) {
        if (event.failure || event.userSlot < 0 || (event.lat === undefined && event.country === undefined)) return;
        const here: Place = { time: event.time, ip: event.ip };
        if (event.lat !== undefined && event.lon !== undefined) Object.assign(here, { lat: event.lat, lon: event.lon });
        if (event.country !== undefined) here.country = event.country;
        const previous = last.get(event.userSlot);
        // The latest login is the one to compare the next with; a late one only gets compared.
        if (!previous || here.time >= previous.time) last.set(event.userSlot, here);
        if (!previous) return;
        const hop = impossible(previous, here);
        if (!hop) return;
        const open = alerts.active(event.user, event.time);
        if (open) alerts.absorb(open, event.time, () => ctx.sample(event), open.metric + 1, hop);
        else {
          alerts.raise({
            subject: 'user', key: event.user, count: 2, metric: 1, threshold: 1, windowMs: window,
            firstSeen: Math.min(previous.time, here.time), lastSeen: Math.max(previous.time, here.time), sample: ctx.sample(event), details: hop,
          });
        }
      },
      tracked: () => ({ keys: last.size, evictions: last.evictions }),
    };
  },
});
