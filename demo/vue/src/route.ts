import { ref } from 'vue';

/** The page path is the demo's whole router; after sign-in it becomes the page sign-in started from. */
export const path = ref(location.pathname);
