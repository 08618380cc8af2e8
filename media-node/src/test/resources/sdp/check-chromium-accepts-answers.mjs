import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

// Usage (from media-node, after `mvnw test-compile`): node check-chromium-accepts-answers.mjs
// Needs playwright-core installed outside the repository (NODE_PATH) and Chromium at /usr/bin/chromium.
// For each scenario the page makes an offer, WriteAnswer (test classes) answers it, and the page applies
// the answer with setRemoteDescription; the printed JSON shows the resulting transceiver directions.
const work = process.env.WORK_DIR || '/tmp/relaymesh-sdp-check';
const classpath = process.env.CLASSPATH_DIRS || 'target/classes:target/test-classes';
const java = (process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64') + '/bin/java';

const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><p>x</p>'); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'] });
const results = {};
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  for (const scenario of ['whip-sendonly', 'whip-simulcast', 'whep-recvonly', 'whep-datachannel']) {
    const offer = await page.evaluate(async (scenario) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
      const pc = new RTCPeerConnection();
      window.pc = pc;
      if (scenario === 'whip-sendonly') {
        for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      } else if (scenario === 'whip-simulcast') {
        pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
        pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream], sendEncodings: [
          { rid: 'h' }, { rid: 'm', scaleResolutionDownBy: 2 }, { rid: 'l', scaleResolutionDownBy: 4 }] });
      } else {
        pc.addTransceiver('audio', { direction: 'recvonly' });
        pc.addTransceiver('video', { direction: 'recvonly' });
        if (scenario === 'whep-datachannel') pc.createDataChannel('x');
      }
      const o = await pc.createOffer();
      await pc.setLocalDescription(o);
      return o.sdp;
    }, scenario);
    fs.mkdirSync(work, { recursive: true });
    const file = `${work}/chromium-${scenario}.sdp`;
    const answerFile = `${work}/chromium-${scenario}.answer.sdp`;
    fs.writeFileSync(file, offer);
    execFileSync(java, ['-cp', classpath, 'io.relaymesh.node.sdp.WriteAnswer', file, answerFile],
      { stdio: ['ignore', 'inherit', 'inherit'] });
    const answer = fs.readFileSync(answerFile, 'utf8');
    results[scenario] = await page.evaluate(async (answer) => {
      try {
        await window.pc.setRemoteDescription({ type: 'answer', sdp: answer });
        const t = window.pc.getTransceivers().map(x => `${x.mid}:${x.currentDirection}`);
        const codecs = window.pc.getSenders().map(s => s.getParameters().codecs?.map(c => c.mimeType).join(',')).join(' | ');
        const enc = window.pc.getSenders().map(s => (s.getParameters().encodings || []).map(e => e.rid).join(',')).join(' | ');
        const state = window.pc.signalingState;
        window.pc.close();
        return { ok: true, state, transceivers: t, codecs, encodings: enc };
      } catch (e) {
        window.pc.close();
        return { ok: false, error: String(e) };
      }
    }, answer);
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(results, null, 1));
