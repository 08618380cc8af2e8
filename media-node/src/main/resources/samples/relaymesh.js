// relaymesh sample client: WHIP publish, WHEP play, tokens and live stats. No dependencies.
'use strict';

const relaymesh = (() => {
  /** Mints a token with the cluster secret (POST /token/{protocol}). */
  async function token(protocol, secret, room, peer) {
    const body = {room, ttl: 3600};
    if (peer) body.peer = peer;
    const res = await fetch(`/token/${protocol}`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Authorization: `Bearer ${secret}`},
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
    return (await res.json()).token;
  }

  /** Sends the offer of pc to a WHIP/WHEP endpoint and applies the answer; returns the session URL. */
  async function negotiate(pc, endpoint, tokenValue) {
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {'Content-Type': 'application/sdp', Authorization: `Bearer ${tokenValue}`},
      body: pc.localDescription.sdp,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`${res.status}: ${text.trim()}`);
    await pc.setRemoteDescription({type: 'answer', sdp: text});
    return new URL(res.headers.get('Location'), location.href).toString();
  }

  /** Publishes a MediaStream through WHIP. */
  async function publish(stream, tokenValue, endpoint = '/whip/endpoint') {
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    for (const track of stream.getTracks()) {
      pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
    }
    const resource = await negotiate(pc, endpoint, tokenValue);
    return {pc, resource, token: tokenValue};
  }

  /** Plays a room through WHEP; calls onTrack(stream) when media arrives. */
  async function play(tokenValue, onStream, endpoint = '/whep/endpoint') {
    const startedAt = performance.now();
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    pc.addTransceiver('audio', {direction: 'recvonly'});
    pc.addTransceiver('video', {direction: 'recvonly'});
    const stream = new MediaStream();
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      onStream(stream);
    };
    const resource = await negotiate(pc, endpoint, tokenValue);
    return {pc, resource, token: tokenValue, startedAt};
  }

  /** Ends a session: DELETE on its resource, then closes the peer connection. */
  async function hangUp(session) {
    if (!session) return;
    try {
      await fetch(session.resource, {method: 'DELETE', headers: {Authorization: `Bearer ${session.token}`}});
    } finally {
      session.pc.close();
    }
  }

  /** A compact summary of getStats() for display and for tests. */
  async function summary(pc) {
    const out = {state: pc.connectionState};
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    report.forEach((s) => {
      const codec = s.codecId && byId.get(s.codecId) ? byId.get(s.codecId).mimeType : undefined;
      if (s.type === 'inbound-rtp') {
        out[`in-${s.kind}`] = {
          codec, packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, bytesReceived: s.bytesReceived,
          jitter: s.jitter, framesDecoded: s.framesDecoded, frameWidth: s.frameWidth, frameHeight: s.frameHeight,
          totalAudioEnergy: s.totalAudioEnergy, totalSamplesReceived: s.totalSamplesReceived,
          concealedSamples: s.concealedSamples, freezeCount: s.freezeCount, nackCount: s.nackCount, pliCount: s.pliCount,
        };
      } else if (s.type === 'outbound-rtp') {
        out[`out-${s.kind}`] = {
          codec, packetsSent: s.packetsSent, bytesSent: s.bytesSent, framesEncoded: s.framesEncoded,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight, nackCount: s.nackCount, pliCount: s.pliCount,
        };
      } else if (s.type === 'remote-inbound-rtp') {
        out[`remote-in-${s.kind}`] = {roundTripTime: s.roundTripTime, packetsLost: s.packetsLost, jitter: s.jitter};
      } else if (s.type === 'transport' && s.dtlsState) {
        out.dtls = s.dtlsState;
        out.srtpCipher = s.srtpCipher;
      }
    });
    return out;
  }

  /** Renders summary(pc) into element every second; returns a stop function. */
  function showStats(pc, element) {
    const timer = setInterval(async () => {
      element.textContent = JSON.stringify(await summary(pc), null, 2);
    }, 1000);
    return () => clearInterval(timer);
  }

  return {token, publish, play, hangUp, summary, showStats};
})();
