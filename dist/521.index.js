export const id = 521;
export const ids = [521];
export const modules = {

/***/ 8521:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dvcYamlPath: () => (/* binding */ dvcYamlPath),
/* harmony export */   readAnnotation: () => (/* binding */ readAnnotation)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
// Reading the `artifacts:` section of a `dvc.yaml`: an artifact's type, path
// and description, for the outputs of the tag that names it.

/**
 * The entry of one artifact in a `dvc.yaml` text; no annotation when the file
 * does not declare it. A file that cannot be read declares nothing (a broken
 * annotation must not stop a deploy); `problem` says why, for a warning.
 */
function readAnnotation(text, shortName) {
    let raw;
    try {
        raw = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text);
    }
    catch (error) {
        return { problem: `not valid YAML (${errorText(error)})` };
    }
    if (!isRecord(raw) || raw.artifacts === undefined)
        return {};
    if (!isRecord(raw.artifacts)) {
        return { problem: "its 'artifacts' is not a mapping" };
    }
    if (raw.artifacts[shortName] === undefined)
        return {};
    const entry = raw.artifacts[shortName];
    if (entry !== null && !isRecord(entry)) {
        return { problem: `its entry '${shortName}' is not a mapping` };
    }
    return {
        annotation: {
            type: scalar(entry?.type),
            path: scalar(entry?.path),
            description: scalar(entry?.desc)
        }
    };
}
/** The `dvc.yaml` that declares `dir:name`: `dir/dvc.yaml`, or the root one. */
function dvcYamlPath(dir) {
    return dir ? `${dir.replace(/\/+$/, '')}/dvc.yaml` : 'dvc.yaml';
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function scalar(value) {
    if (value === undefined || value === null)
        return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ })

};
