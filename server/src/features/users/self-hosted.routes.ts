/**
 * What the official client asks for on start and in its settings panels, answered as a self-hosted
 * instance has it: nothing is paywalled, and the features this build has no store for (friends,
 * notes, saved or scheduled messages, connections, data exports, saved media, gifts, passkeys, web
 * push) are honestly empty rather than refused.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { NO_PREMIUM } from "./user.views.ts";

/** No billing exists here: limits are the instance's own, so there is nothing to buy or unlock. */
function premiumState(bot: boolean, countryCode: string | null) {
  return {
    actual: { ...NO_PREMIUM, has_active_paid_premium: false, is_visionary: false, has_ever_purchased: false },
    effective: {
      is_premium: false,
      ...NO_PREMIUM,
      premium_enabled_override: false,
      premium_purchase_disabled: true,
      premium_perks_disabled: false,
      self_hosted: true,
      bot,
    },
    billing: {
      stripe_customer_id: null,
      current_subscription_price: null,
      pending_subscription_change: null,
      subscription: null,
      invoices: [],
      invoices_has_more: false,
      payment_methods: [],
      refund_eligibility: {
        eligible: false,
        reason: null,
        invoice_id: null,
        invoice_amount_paid_cents: null,
        currency: null,
        paid_at: null,
        refund_window_expires_at: null,
        cooldown_expires_at: null,
        cancels_subscription: false,
      },
    },
    pricing: { country_code: countryCode, localized: null, base: null },
  };
}

/** GET routes whose honest answer on this build is an empty list (or, for a data export, none). */
const EMPTY_LISTS: [url: string, body: unknown][] = [
  ["/users/@me/relationships", []],
  ["/users/@me/saved-messages", []],
  ["/users/@me/scheduled-messages", []],
  ["/users/@me/connections", []],
  ["/users/@me/memes", []],
  ["/users/@me/gifts", []],
  ["/users/@me/mfa/webauthn/credentials", []],
  ["/users/@me/notes", {}],
  // Web push needs a push service this build does not run, so no subscription can exist.
  ["/users/@me/push/subscriptions", { subscriptions: [] }],
  ["/users/@me/harvest/latest", null],
];

export function selfHostedAccountRoutes(app: FastifyInstance) {
  route(app, {
    method: "GET",
    url: "/premium/state",
    auth: "user",
    query: z.object({ country_code: z.string().length(2).optional() }),
    handler: ({ actor, query }) => premiumState(actor.user.bot, query.country_code?.toUpperCase() ?? null),
  });

  for (const [url, body] of EMPTY_LISTS) {
    // A fresh value per answer, so nothing downstream can share (and mutate) one.
    route(app, { method: "GET", url, auth: "session", handler: () => structuredClone(body) });
  }
}
