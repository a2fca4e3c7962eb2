export const id = 345;
export const ids = [345];
export const modules = {

/***/ 9345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseGtoConfig: () => (/* binding */ parseGtoConfig)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8816);
/* harmony import */ var _core_names_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2483);
// Reading `.gto`, the registry's configuration: the stages that may be
// assigned and the artifact types; GTO's other settings are allowed.



const nameList = zod__WEBPACK_IMPORTED_MODULE_2__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP().refine(_core_names_js__WEBPACK_IMPORTED_MODULE_1__/* .isValidStage */ .Pd, { message: 'not a valid name' }))
    .nullish();
// GTO's other settings (matched regardless of case, as GTO does): allowed,
// and of no concern to tags.
const GTO_SETTINGS = [
    'index',
    'config_file_name',
    'log_level',
    'debug',
    'emojis',
    'enrichments',
    'autoload_enrichments'
];
const gtoSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .unknown */ .L5J())
    .nullish()
    .transform((raw, ctx) => {
    const config = {};
    for (const [key, value] of Object.entries(raw ?? {})) {
        const lower = key.toLowerCase();
        if (lower === 'stages' || lower === 'types')
            config[lower] = value;
        else if (!GTO_SETTINGS.includes(lower)) {
            ctx.addIssue({
                code: 'custom',
                message: `unknown key '${key}'`,
                path: [key]
            });
        }
    }
    return config;
})
    .pipe(zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({ stages: nameList, types: nameList }));
/** Parses `.gto`; errors name the file and the offending key. */
function parseGtoConfig(text, file = '.gto') {
    let raw;
    try {
        raw = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text);
    }
    catch (error) {
        throw new Error(`${file} is not valid YAML: ${errorText(error)}`, {
            cause: error
        });
    }
    const result = gtoSchema.safeParse(raw);
    if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue.path.length ? ` at '${issue.path.join('.')}'` : '';
        throw new Error(`${file} is not a valid GTO configuration${where}: ${issue.message}. ` +
            "'stages' and 'types' must be lists of names; other keys must be " +
            "GTO's settings.");
    }
    return {
        stages: result.data?.stages ?? undefined,
        types: result.data?.types ?? undefined
    };
}
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ })

};
