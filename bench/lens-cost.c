#include <augeas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
 double t0=now();
 const char*ld=getenv("LENSDIR");char lp[4096];snprintf(lp,sizeof lp,"%s:/usr/share/augeas/lenses/dist",ld?ld:"/work/main/lenses");
 augeas *a=aug_init(NULL,lp,AUG_NO_MODL_AUTOLOAD|AUG_NO_LOAD|AUG_NO_ERR_CLOSE|AUG_NO_STDINC);
 printf("init %.1f\n",now()-t0);
 for(int i=1;i+1<argc;i+=2){
 FILE*f=fopen(argv[i+1],"r");char buf[65536];size_t n=fread(buf,1,sizeof buf-1,f);buf[n]=0;fclose(f);
 aug_set(a,"/text/in",buf);
 double t1=now();
 int r=aug_text_store(a,argv[i],"/text/in","/tree");
 double t2=now();
 r|=aug_text_retrieve(a,argv[i],"/text/in","/tree","/text/out");
 double t3=now();
 printf("%s get %.1f ms put %.1f ms r=%d\n",argv[i],t2-t1,t3-t2,r);}
}
