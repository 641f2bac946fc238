// Prints, for a GGUF model and a prompt of token ids (argv), the last-position logits and greedy ids as JSON.
#include "llama.h"
#include <cstdio>
#include <cstdlib>
#include <vector>
int main(int argc, char ** argv) {
    llama_backend_init();
    ggml_backend_load_all(); // builds with dynamically loaded backends (GGML_BACKEND_DL) have none until loaded
    auto mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) return 1;
    const llama_vocab * vocab = llama_model_get_vocab(model);
    int n_new = atoi(argv[2]);
    std::vector<llama_token> ids;
    for (int i = 3; i < argc; i++) ids.push_back(atoi(argv[i]));
    auto cp = llama_context_default_params();
    cp.n_ctx = 256; cp.n_batch = 256; cp.n_threads = 1; cp.n_threads_batch = 1;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (llama_decode(ctx, llama_batch_get_one(ids.data(), ids.size()))) return 2;
    int nv = llama_vocab_n_tokens(vocab);
    float * lg = llama_get_logits_ith(ctx, -1);
    printf("{\"logits\":[");
    for (int i = 0; i < nv; i++) printf(i ? ",%.6g" : "%.6g", lg[i]);
    printf("],\"greedy\":[");
    for (int s = 0; s < n_new; s++) {
        float * l = llama_get_logits_ith(ctx, -1);
        int best = 0; for (int i = 1; i < nv; i++) if (l[i] > l[best]) best = i;
        printf(s ? ",%d" : "%d", best);
        if (best == llama_vocab_eos(vocab)) break;
        llama_token t = best;
        if (llama_decode(ctx, llama_batch_get_one(&t, 1))) return 3;
    }
    printf("]}\n");
    llama_free(ctx); llama_model_free(model);
    return 0;
}
