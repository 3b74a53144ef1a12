/**
 * A Jiko webhook as the provider sends it: the event's JSON, signed with the sandbox's webhook
 * secret and the current timestamp, posted to a desk's `/api/webhooks/jiko`.
 */
import { jikoWebhookSignature, sandboxJikoSettings } from '@desk/server';

export function sendJikoEvent(
  deskUrl: string,
  event: { id: string; type: string; applicationId: string },
): Promise<Response> {
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: new Date().toISOString(),
    data: { application_id: event.applicationId },
  });
  const at = String(Math.floor(Date.now() / 1000));
  return fetch(`${deskUrl}/api/webhooks/jiko`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-jiko-timestamp': at,
      'x-jiko-signature': jikoWebhookSignature(sandboxJikoSettings.webhookSecret, at, body),
    },
    body,
  });
}
