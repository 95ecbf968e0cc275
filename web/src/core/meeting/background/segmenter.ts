/**
 * MediaPipe's selfie segmentation (for effect.ts) (npm @mediapipe/selfie_segmentation, Apache-2.0), run in this
 * browser: WebAssembly and WebGL on the picture we pass, nothing sent anywhere. Its files are
 * bundled with the app (Vite emits them as assets of this lazy chunk), so it works offline and
 * asks no third party for anything. The package is a classic script that defines a global, not a
 * module: it is loaded with a script element.
 */
import scriptUrl from "@mediapipe/selfie_segmentation/selfie_segmentation.js?url";
import graphUrl from "@mediapipe/selfie_segmentation/selfie_segmentation.binarypb?url";
import modelUrl from "@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite?url";
import simdJsUrl from "@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.js?url";
import simdWasmUrl from "@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.wasm?url";
import plainJsUrl from "@mediapipe/selfie_segmentation/selfie_segmentation_solution_wasm_bin.js?url";
import plainWasmUrl from "@mediapipe/selfie_segmentation/selfie_segmentation_solution_wasm_bin.wasm?url";

/** The files the package asks for by name, and where this build put them. */
const FILES: Readonly<Record<string, string>> = {
  "selfie_segmentation.binarypb": graphUrl,
  "selfie_segmentation_landscape.tflite": modelUrl,
  "selfie_segmentation_solution_simd_wasm_bin.js": simdJsUrl,
  "selfie_segmentation_solution_simd_wasm_bin.wasm": simdWasmUrl,
  "selfie_segmentation_solution_wasm_bin.js": plainJsUrl,
  "selfie_segmentation_solution_wasm_bin.wasm": plainWasmUrl,
};

/** The landscape model (256×144): made for 16:9 video, faster than the square one. */
const LANDSCAPE_MODEL = 1;

interface Results {
  segmentationMask: CanvasImageSource;
}

interface Solution {
  setOptions(options: { modelSelection: number; selfieMode: boolean }): void;
  onResults(listener: (results: Results) => void): void;
  initialize(): Promise<void>;
  send(inputs: { image: HTMLCanvasElement }): Promise<void>;
  close(): Promise<void>;
}

type SolutionClass = new (config: { locateFile: (file: string) => string }) => Solution;

/** Where the person is in a picture: `segment` draws its mask into `mask` (alpha: the person).
 * One segmentation at a time: calls made meanwhile wait their turn. */
export interface Segmenter {
  segment(picture: HTMLCanvasElement, mask: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D): Promise<void>;
  close(): void;
}

let loading: Promise<SolutionClass> | null = null;

function loadScript(): Promise<SolutionClass> {
  loading ??= new Promise<SolutionClass>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = scriptUrl;
    script.async = true;
    script.onload = () => {
      const found = (globalThis as { SelfieSegmentation?: SolutionClass }).SelfieSegmentation;
      if (found) resolve(found);
      else reject(new Error("the segmentation script defined nothing"));
    };
    script.onerror = () => reject(new Error("the segmentation script did not load"));
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = null; // a later attempt may load it (a network that came back)
    throw error;
  });
  return loading;
}

export async function createSegmenter(): Promise<Segmenter> {
  const SelfieSegmentation = await loadScript();
  const solution = new SelfieSegmentation({
    locateFile: (file) => {
      const url = FILES[file];
      if (!url) throw new Error(`the segmentation asked for an unknown file: ${file}`);
      return url;
    },
  });
  solution.setOptions({ modelSelection: LANDSCAPE_MODEL, selfieMode: false });
  let target: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null;
  solution.onResults((results) => {
    // The mask is only good during the callback: copy it out at once.
    if (!target) return;
    const { width, height } = target.canvas;
    target.clearRect(0, 0, width, height);
    target.drawImage(results.segmentationMask, 0, 0, width, height);
  });
  await solution.initialize();
  let turn: Promise<unknown> = Promise.resolve();
  return {
    segment(picture, mask) {
      const run = turn.then(async () => {
        target = mask;
        try {
          await solution.send({ image: picture });
        } finally {
          target = null;
        }
      });
      turn = run.catch(() => undefined);
      return run;
    },
    close() {
      void solution.close().catch(() => undefined);
    },
  };
}
