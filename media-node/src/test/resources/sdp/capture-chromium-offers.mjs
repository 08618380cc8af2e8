import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';

// Usage: node capture-chromium-offers.mjs <output dir>  (playwright-core on NODE_PATH, Chromium at /usr/bin/chromium)
const outDir = process.argv[2];
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><html><body>capture</body></html>');
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
         '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const offers = await page.evaluate(async () => {
    async function gather(pc) {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await new Promise(resolve => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
        setTimeout(resolve, 3000);
      });
      return pc.localDescription.sdp;
    }
    const out = {};
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
    {
      const pc = new RTCPeerConnection();
      for (const t of stream.getTracks()) pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      out.whip = await gather(pc);
      pc.close();
    }
    {
      const pc = new RTCPeerConnection();
      pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
      pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream], sendEncodings: [
        { rid: 'h', maxBitrate: 1500000 },
        { rid: 'm', maxBitrate: 600000, scaleResolutionDownBy: 2 },
        { rid: 'l', maxBitrate: 200000, scaleResolutionDownBy: 4 },
      ]});
      out.simulcast = await gather(pc);
      pc.close();
    }
    {
      const pc = new RTCPeerConnection();
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      out.whep = await gather(pc);
      pc.close();
    }
    return out;
  });
  fs.writeFileSync(`${outDir}/chromium-whip-sendonly.sdp`, offers.whip);
  fs.writeFileSync(`${outDir}/chromium-whip-simulcast.sdp`, offers.simulcast);
  fs.writeFileSync(`${outDir}/chromium-whep-recvonly.sdp`, offers.whep);
  console.log('ok', browser.version());
} finally {
  await browser.close();
  server.close();
}
