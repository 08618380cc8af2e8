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

  /**
   * Simulcast encodings, lowest first (the order the SFU numbers spatial layers). Chromium's VP8 encoder only
   * sends all three when the camera gives at least 960x540 and its bandwidth estimate covers them.
   */
  const SIMULCAST_LAYERS = [
    {rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000},
    {rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000},
    {rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000},
  ];

  /** Video codecs the pages offer to prefer, by the name used in the query string. */
  const CODECS = {vp8: 'video/VP8', vp9: 'video/VP9', h264: 'video/H264', av1: 'video/AV1'};

  /**
   * Publish options from a query string or form: simulcast=3, codec=vp8|vp9|h264|av1, scalabilityMode=L3T3
   * (VP9/AV1 SVC in one encoding). Unknown values throw, so a typo does not silently publish something else.
   */
  function publishOptions(params) {
    const options = {};
    const simulcast = params.get('simulcast');
    if (simulcast && simulcast !== '0' && simulcast !== '1') {
      if (simulcast !== '3') throw new Error(`simulcast=${simulcast}: only 3 layers are supported`);
      options.simulcast = 3;
    }
    const codec = params.get('codec');
    if (codec) {
      if (!CODECS[codec.toLowerCase()]) throw new Error(`codec=${codec}: use one of ${Object.keys(CODECS).join(', ')}`);
      options.codec = codec.toLowerCase();
    }
    const mode = params.get('scalabilityMode');
    if (mode) {
      if (!/^[LS][1-3]T[1-3](_KEY)?(_SHIFT)?h?$/.test(mode)) throw new Error(`scalabilityMode=${mode}: not a mode like L3T3`);
      if (options.simulcast) throw new Error('simulcast and scalabilityMode exclude each other');
      options.scalabilityMode = mode;
    }
    return options;
  }

  /** The camera constraints for options: 1280x720 when layers are sent, so the top layer has something to carry. */
  function videoConstraints(options, deviceId) {
    const video = deviceId ? {deviceId: {exact: deviceId}} : {};
    if (options.simulcast || options.scalabilityMode) {
      video.width = {ideal: 1280};
      video.height = {ideal: 720};
      video.frameRate = {ideal: 30};
    }
    return Object.keys(video).length ? video : true;
  }

  /** Puts codec's entries (and the repair formats rtx/red/ulpfec) first in the transceiver's offer. */
  function preferCodec(transceiver, codec) {
    const mime = CODECS[codec].toLowerCase();
    const capabilities = (RTCRtpSender.getCapabilities && RTCRtpSender.getCapabilities('video'))
      || RTCRtpReceiver.getCapabilities('video');
    const codecs = capabilities.codecs;
    const preferred = codecs.filter((c) => c.mimeType.toLowerCase() === mime);
    if (!preferred.length) throw new Error(`this browser cannot send ${CODECS[codec]}`);
    const rest = codecs.filter((c) => c.mimeType.toLowerCase() !== mime);
    transceiver.setCodecPreferences([...preferred, ...rest]);
  }

  /** Publishes a MediaStream through WHIP, with the video options of publishOptions(). */
  async function publish(stream, tokenValue, endpoint = '/whip/endpoint', options = {}) {
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    for (const track of stream.getTracks()) {
      const init = {direction: 'sendonly', streams: [stream]};
      if (track.kind === 'video' && options.simulcast) {
        init.sendEncodings = SIMULCAST_LAYERS.map((e) => ({...e}));
      } else if (track.kind === 'video' && options.scalabilityMode) {
        init.sendEncodings = [{scalabilityMode: options.scalabilityMode, maxBitrate: 2_000_000}];
      }
      const transceiver = pc.addTransceiver(track, init);
      if (track.kind === 'video' && options.codec) preferCodec(transceiver, options.codec);
    }
    const resource = await negotiate(pc, endpoint, tokenValue);
    return {pc, resource, token: tokenValue, options};
  }

  /**
   * Plays a room through WHEP; calls onTrack(stream) when media arrives. The session records, in ms from the call,
   * answeredMs (the node's SDP answer received) and connectedMs (ICE and DTLS connected): what a first picture waits
   * for besides the first keyframe.
   */
  async function play(tokenValue, onStream, endpoint = '/whep/endpoint') {
    const startedAt = performance.now();
    const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
    const timing = {};
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected' && timing.connectedMs === undefined) {
        timing.connectedMs = Math.round(performance.now() - startedAt);
      }
    });
    pc.addTransceiver('audio', {direction: 'recvonly'});
    pc.addTransceiver('video', {direction: 'recvonly'});
    const stream = new MediaStream();
    pc.ontrack = (e) => {
      stream.addTrack(e.track);
      onStream(stream);
    };
    const resource = await negotiate(pc, endpoint, tokenValue);
    const answeredMs = Math.round(performance.now() - startedAt);
    return {pc, resource, token: tokenValue, startedAt, answeredMs, get connectedMs() { return timing.connectedMs; }};
  }

  /**
   * The node's view of a WHEP session (GET on its resource): bandwidth estimate, RTT, loss and per track the
   * selected and target layers. Null when the node does not serve it (an older node) or the session is gone.
   */
  async function sessionStats(session) {
    const res = await fetch(session.resource, {headers: {Authorization: `Bearer ${session.token}`}});
    if (!res.ok || !(res.headers.get('Content-Type') || '').includes('json')) return null;
    return res.json();
  }

  /** Caps the layers a WHEP session receives ({maxSpatial, maxTemporal}); throws with the node's reason. */
  async function setPreferences(session, preferences) {
    const res = await fetch(`${session.resource}/preferences`, {
      method: 'PUT',
      headers: {'Content-Type': 'application/json', Authorization: `Bearer ${session.token}`},
      body: JSON.stringify(preferences),
    });
    if (res.status !== 204) throw new Error(`preferences: ${res.status} ${(await res.text()).trim()}`);
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
          concealedSamples: s.concealedSamples, freezeCount: s.freezeCount, totalFreezesDuration: s.totalFreezesDuration,
          nackCount: s.nackCount, pliCount: s.pliCount, framesPerSecond: s.framesPerSecond,
        };
      } else if (s.type === 'outbound-rtp') {
        out[`out-${s.kind}`] = {
          codec, packetsSent: s.packetsSent, bytesSent: s.bytesSent, framesEncoded: s.framesEncoded,
          frameWidth: s.frameWidth, frameHeight: s.frameHeight, nackCount: s.nackCount, pliCount: s.pliCount,
          rid: s.rid, scalabilityMode: s.scalabilityMode, qualityLimitationReason: s.qualityLimitationReason,
        };
        if (s.kind === 'video' && s.rid !== undefined) {
          // Simulcast: one outbound-rtp per layer, lowest rid first as the page sent them.
          (out['out-video-layers'] ||= []).push({
            rid: s.rid, frameWidth: s.frameWidth, frameHeight: s.frameHeight, bytesSent: s.bytesSent,
            framesEncoded: s.framesEncoded, active: s.active,
          });
        }
      } else if (s.type === 'remote-inbound-rtp') {
        out[`remote-in-${s.kind}`] = {roundTripTime: s.roundTripTime, packetsLost: s.packetsLost, jitter: s.jitter};
      } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        out.availableOutgoingBitrate = s.availableOutgoingBitrate;
        out.availableIncomingBitrate = s.availableIncomingBitrate;
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

  return {token, publish, publishOptions, videoConstraints, play, sessionStats, setPreferences, hangUp, summary, showStats};
})();
